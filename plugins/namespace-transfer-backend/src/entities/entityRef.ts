import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** The catalog's own rules for the three parts of an entity reference (catalog-model's default validators). */
const validators = makeValidator();

export const ENTITY_REF_RULES = {
  kind: 'a kind is 1-63 letters and digits, starting with a letter',
  namespace:
    "a namespace is 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit",
  name: "a name is 1-63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
} as const;

export type EntityRefPart = keyof typeof ENTITY_REF_RULES;

const isValid: Record<EntityRefPart, (value: string) => boolean> = {
  kind: v => validators.isValidKind(v),
  // the catalog compares references case-insensitively (stringifyEntityRef lowercases them)
  namespace: v => validators.isValidNamespace(v.toLowerCase()),
  name: v => validators.isValidEntityName(v),
};

const FORM =
  'entityRef must have the form kind:namespace/name, e.g. component:default/payments-db';

/** A value for a message: quoted and escaped (a NUL shows as \u0000), and cut short. */
const shown = (value: string) =>
  JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/**
 * Refuses a part of an entity reference that breaks the catalog's character rules, with a 400 that names
 * the part and the rule: a NUL or other control character, a non-ASCII letter, `..`, a slash (an encoded
 * `%2F` arrives decoded) all break them, so nothing such reaches the catalog or a cluster.
 */
export function checkEntityRefPart(
  part: EntityRefPart,
  value: string,
  where = 'entityRef',
): void {
  if (!isValid[part](value)) {
    throw new InputError(
      `${where} ${part} ${shown(value)} breaks the catalog's rule: ${ENTITY_REF_RULES[part]}`,
    );
  }
}

/**
 * Checks a full entity reference (`kind:namespace/name`, split as catalog-model's parseEntityRef splits
 * it) against the catalog's rules and returns it unchanged; throws an InputError naming the broken rule.
 */
export function checkEntityRef(ref: unknown): string {
  if (Array.isArray(ref)) throw new InputError('entityRef must be given once');
  if (typeof ref !== 'string' || ref === '') {
    throw new InputError(
      'entityRef is required, e.g. component:default/payments-db',
    );
  }
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  let parts: { kind: string; namespace: string; name: string };
  try {
    parts = parseEntityRef(ref);
  } catch {
    throw new InputError(FORM);
  }
  // the full form only: parseEntityRef would fill in a missing namespace
  if (colon <= 0 || slash < colon) throw new InputError(FORM);
  for (const part of ['kind', 'namespace', 'name'] as const) {
    checkEntityRefPart(part, parts[part]);
  }
  return ref;
}
