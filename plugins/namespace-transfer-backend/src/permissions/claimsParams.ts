/**
 * The parameters of every rule of the resource type: `{ claims: string[] }`, the user's ownership entity
 * refs, as the catalog's isEntityOwner takes them. Written as a Standard Schema with its JSON Schema by
 * hand: the permission framework validates a policy's params with it and shows the JSON Schema in its
 * metadata, and this package's zod (3.x) has no JSON Schema side for the framework to read.
 *
 * @public
 */
export type ClaimsParams = { claims: string[] };

const JSON_SCHEMA = {
  type: 'object',
  properties: {
    claims: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Entity refs of the user and their groups (user.info.ownershipEntityRefs); any one matching is enough',
    },
  },
  required: ['claims'],
  additionalProperties: false,
};

type Issue = { message: string; path?: PropertyKey[] };

function validate(
  value: unknown,
): { value: ClaimsParams } | { issues: Issue[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { issues: [{ message: 'params must be an object { claims }' }] };
  }
  const extra = Object.keys(value).filter(k => k !== 'claims');
  if (extra.length) {
    return {
      issues: [
        {
          message: `unknown params ${extra.join(', ')}: only claims`,
          path: [extra[0]],
        },
      ],
    };
  }
  const claims = (value as { claims?: unknown }).claims;
  if (!Array.isArray(claims) || claims.some(c => typeof c !== 'string')) {
    return {
      issues: [
        {
          message: 'claims must be an array of entity refs (strings)',
          path: ['claims'],
        },
      ],
    };
  }
  return { value: { claims: claims as string[] } };
}

export const claimsParamsSchema = {
  '~standard': {
    version: 1 as const,
    vendor: 'namespace-transfer',
    validate,
    jsonSchema: {
      input: () => JSON_SCHEMA,
      output: () => JSON_SCHEMA,
    },
  },
};
