/**
 * The store keeps no secret: key material lives only in the clusters' Secrets. The engine's checkpoint is
 * made without any (the credentials step returns nothing and a resume reads them back from the Secrets);
 * this guard keeps a future change from writing one into the database unnoticed.
 */

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/;
/** a JSON Web Token (a ServiceAccount token, a Backstage token): three base64url parts, the first a JSON header */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
/**
 * Keys that name a secret: ending in password, token, secret(s) or private key (serviceAccountToken,
 * clientSecret, rsyncd.secrets), or the engine Secrets' key files (tls.key, ca.key). Names of secrets
 * (secretName) are not secrets.
 */
const KEY_NAMES =
  /(password|passwd|passphrase|token|secrets?|privatekey|private_key|apikey|api_key|(^|\.)key)$/i;

/** Where in `value` something secret-looking sits (a JSON path), or undefined when nothing does. */
export function findSecret(value: unknown, path = '$'): string | undefined {
  if (typeof value === 'string') {
    if (PEM_BLOCK.test(value)) return `${path} (a PEM block)`;
    if (JWT.test(value)) return `${path} (a token)`;
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findSecret(item, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (KEY_NAMES.test(key) && item !== null && item !== '')
        return `${path}.${key} (a key named like a secret)`;
      const found = findSecret(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** Refuses to store `value` when it holds anything secret-looking, naming where it is (never the value). */
export function assertNoSecret(value: unknown, what: string): void {
  const found = findSecret(value);
  if (found)
    throw new Error(
      `refusing to store ${what}: it holds something secret at ${found}`,
    );
}

/** Free text (an error message) is kept, with anything secret-looking in it replaced. */
export function redactSecrets(text: string): string {
  return text
    .replace(
      /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(-----END \1-----|$)/g,
      '[redacted $1]',
    )
    .replace(new RegExp(JWT.source, 'g'), '[redacted token]');
}
