import { zodToJsonSchema } from 'zod-to-json-schema';
import type { z } from 'zod';
import {
  LIST_SORT_FIELDS,
  TRANSFER_STATES,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/* The pieces the workflow's parts of the OpenAPI document are written with. */

/** A body schema for OpenAPI 3.0 (no $schema, no definitions: everything inline). */
export function bodySchema(schema: z.ZodTypeAny): Record<string, unknown> {
  // the schema typed loosely: zodToJsonSchema's generics recurse too deep on common's schemas
  const toJson = zodToJsonSchema as (s: unknown, o: object) => unknown;
  const { $schema: _ignored, ...rest } = toJson(schema, {
    target: 'openApi3',
    $refStrategy: 'none',
  }) as Record<string, unknown>;
  return rest;
}

export const error = (description: string) => ({
  description,
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/Error' } },
  },
});

export const json = (description: string, schema: Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema } },
});

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const unauthenticated = error(
  'No or invalid Backstage user credentials',
);
export const tooMany = error(
  'More requests than namespaceTransfer.rateLimit allows; Retry-After says when to ask again',
);

export const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The transfer id (a UUID)',
  schema: { type: 'string', format: 'uuid' },
};

export const listParameters = [
  {
    name: 'state',
    in: 'query',
    description: 'One or more states, repeated or comma-separated',
    schema: {
      type: 'array',
      items: { type: 'string', enum: [...TRANSFER_STATES] },
    },
    style: 'form',
    explode: true,
  },
  ...['cluster', 'namespace'].map(name => ({
    name,
    in: 'query',
    description: `Either side's ${name}`,
    schema: { type: 'string' },
  })),
  ...['requester', 'approver', 'entityRef'].map(name => ({
    name,
    in: 'query',
    description:
      name === 'entityRef'
        ? "Either side's catalog entity"
        : `A user entity ref (${name})`,
    schema: { type: 'string', example: 'user:default/alice' },
  })),
  {
    name: 'requestedVia',
    in: 'query',
    description:
      'Only transfers asked for in the portal, or only those of NamespaceTransferRequests (the Kubernetes API)',
    schema: { type: 'string', enum: ['portal', 'kubernetes'] },
  },
  ...['createdAfter', 'createdBefore'].map(name => ({
    name,
    in: 'query',
    schema: { type: 'string', format: 'date-time' },
  })),
  {
    name: 'sort',
    in: 'query',
    schema: { type: 'string', enum: [...LIST_SORT_FIELDS] },
  },
  {
    name: 'order',
    in: 'query',
    schema: { type: 'string', enum: ['asc', 'desc'] },
  },
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
  {
    name: 'cursor',
    in: 'query',
    description: "A previous page's nextCursor",
    schema: { type: 'string' },
  },
];
