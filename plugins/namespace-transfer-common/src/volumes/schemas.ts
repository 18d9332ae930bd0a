import { z } from 'zod';

/** `kind:namespace/name`, the full form, as the catalog stringifies entity references. */
const ENTITY_REF = /^[^:/\s]+:[^:/\s]+\/[^:/\s]+$/;

/**
 * Query of `GET /volumes`.
 *
 * @public
 */
export const volumesQuerySchema = z.object({
  entityRef: z
    .string({
      required_error:
        'entityRef is required, e.g. component:default/payments-db',
    })
    .regex(
      ENTITY_REF,
      'entityRef must have the form kind:namespace/name, e.g. component:default/payments-db',
    ),
});

/** @public */
export type VolumesQuery = z.infer<typeof volumesQuerySchema>;
