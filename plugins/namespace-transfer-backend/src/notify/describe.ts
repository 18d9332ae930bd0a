import { parseEntityRef } from '@backstage/catalog-model';
import type { Transfer } from '../store';
import { redactSecrets } from '../store/secrets';

/**
 * The transfer's stable portal page. Relative on purpose: the notifications frontend renders it with
 * core-components' Link, which puts the app's base path in front, and processors (e-mail, chat) resolve it
 * against app.baseUrl (resolveNotificationLink), so it stays right wherever the app is served.
 */
export function transferLink(transferId: string): string {
  return `/namespace-transfer/transfers/${encodeURIComponent(transferId)}`;
}

/** How a title names a transfer: short enough to read at a glance in a notification list. */
export interface TransferWords {
  /** "moving" or "copying" (a clone leaves the source running) */
  verb: string;
  /** "moved" or "copied" */
  done: string;
  /** namespace/claim */
  source: string;
  /** cluster/namespace, with /claim when the claim is renamed */
  destination: string;
  /** every detail, for a description: both clusters, namespaces and claims */
  full: string;
}

export function describeTransfer(transfer: Transfer): TransferWords {
  const { source: s, destination: d } = transfer;
  const clone = transfer.intent === 'clone';
  const renamed = d.claim !== s.claim ? `/${d.claim}` : '';
  return {
    verb: clone ? 'copying' : 'moving',
    done: clone ? 'copied' : 'moved',
    source: `${s.namespace}/${s.claim}`,
    destination: `${d.cluster}/${d.namespace}${renamed}`,
    full: `claim ${s.claim} in ${s.namespace} on ${s.cluster} to claim ${d.claim} in ${d.namespace} on ${d.cluster}`,
  };
}

/** A person's name as others know it in the portal: the entity's name, not the whole ref. */
export function personName(entityRef: string): string {
  try {
    return parseEntityRef(entityRef).name;
  } catch {
    return entityRef;
  }
}

const MAX_TEXT = 400;

/**
 * Text that came from elsewhere (an engine error, a decision's comment) in a notification: one line, short,
 * and nothing secret-looking in it (the store keeps errors redacted already; this holds for any caller).
 */
export function quoteText(text: string): string {
  const line = redactSecrets(
    text.replace(/Bearer\s+[^\s)"',;]+/gi, 'Bearer [redacted]'),
  )
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
}
