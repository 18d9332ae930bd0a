import { z } from 'zod';
import {
  claimNameSchema,
  clusterNameSchema,
  entityRefSchema,
  namespaceNameSchema,
  sizeSchema,
} from './names';
import {
  requesterOptionsSchema,
  transferIntentSchema,
  transferModeSchema,
} from './options';

/**
 * At most this many claims in one batch request (a whole namespace is checked against it too).
 *
 * @public
 */
export const MAX_BATCH_CLAIMS = 100;

const comment = z
  .string({ invalid_type_error: 'comment must be text' })
  .max(2000, 'comment must be at most 2000 characters');

const cutoverAt = z
  .string({ invalid_type_error: 'cutoverAt must be a time' })
  .datetime({
    offset: true,
    message:
      'cutoverAt must be an ISO 8601 time with a zone, e.g. 2026-12-24T02:00:00Z',
  });

/**
 * Where a transfer goes: the catalog entity the requester owns (its annotations give cluster and namespace);
 * an admin may name a cluster and namespace of their own choosing beside it.
 */
const destination = z
  .object({
    entityRef: entityRefSchema('destination.entityRef'),
    cluster: clusterNameSchema('destination.cluster').optional(),
    namespace: namespaceNameSchema('destination.namespace').optional(),
    claim: claimNameSchema('destination.claim').optional(),
    storageClass: claimNameSchema('destination.storageClass').optional(),
    size: sizeSchema.optional(),
  })
  .strict()
  .refine(d => (d.cluster === undefined) === (d.namespace === undefined), {
    message:
      'destination.cluster and destination.namespace go together: name both (admins only) or neither (the entity gives them)',
  });

const common = {
  mode: transferModeSchema.optional(),
  intent: transferIntentSchema.optional(),
  options: requesterOptionsSchema.optional(),
  cutoverAt: cutoverAt.optional(),
  comment: comment.optional(),
};

/**
 * Body of `POST /transfers` and `POST /plans`: one claim.
 *
 * @public
 */
export const transferRequestSchema = z
  .object({
    source: z
      .object({
        cluster: clusterNameSchema('source.cluster'),
        namespace: namespaceNameSchema('source.namespace'),
        claim: claimNameSchema('source.claim'),
      })
      .strict(),
    destination,
    ...common,
  })
  .strict();

/** @public */
export type TransferRequest = z.infer<typeof transferRequestSchema>;

/**
 * Body of `POST /batches`: several claims of one namespace, or all of them when `claims` is left out. Each
 * claim becomes a transfer of its own, approved by its own source's owners.
 *
 * @public
 */
export const batchRequestSchema = z
  .object({
    source: z
      .object({
        cluster: clusterNameSchema('source.cluster'),
        namespace: namespaceNameSchema('source.namespace'),
        claims: z
          .array(claimNameSchema('source.claims[]'), {
            invalid_type_error: 'source.claims must be a list of claim names',
          })
          .min(
            1,
            'source.claims must name at least one claim (or leave it out for the whole namespace)',
          )
          .max(
            MAX_BATCH_CLAIMS,
            `source.claims may name at most ${MAX_BATCH_CLAIMS} claims`,
          )
          .refine(c => new Set(c).size === c.length, {
            message: 'source.claims names a claim twice',
          })
          .optional(),
      })
      .strict(),
    destination: destination.refine(d => d.claim === undefined, {
      message:
        'destination.claim cannot be set for a batch: each claim keeps its name',
    }),
    ...common,
  })
  .strict();

/** @public */
export type BatchRequest = z.infer<typeof batchRequestSchema>;

/**
 * Body of approve, reject, cancel, retry, resume and cut over.
 *
 * @public
 */
export const decisionBodySchema = z
  .object({ comment: comment.optional() })
  .strict();

/** @public */
export type DecisionBody = z.infer<typeof decisionBodySchema>;
