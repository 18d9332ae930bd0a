import { z } from 'zod';
import {
  ENDPOINT_KINDS,
  MOVER_KINDS,
  TRANSFER_INTENTS,
  TRANSFER_MODES,
  TRANSPORT_KINDS,
} from '../transfer';

const oneOf = <T extends string>(what: string, values: readonly T[]) =>
  z.enum(values as unknown as [T, ...T[]], {
    errorMap: () => ({
      message: `${what} must be one of ${values.join(', ')}`,
    }),
  });

/** @public */
export const transferModeSchema = oneOf('mode', TRANSFER_MODES);
/** @public */
export const transferIntentSchema = oneOf('intent', TRANSFER_INTENTS);

/**
 * What of the engine's options a requester may choose. Everything else is the operator's (config).
 */
const REQUESTER_OPTIONS = {
  mover: oneOf('options.mover', MOVER_KINDS),
  transport: oneOf('options.transport', TRANSPORT_KINDS),
  endpoint: oneOf('options.endpoint', [...ENDPOINT_KINDS, 'auto'] as const),
  quiesce: z.boolean({
    invalid_type_error: 'options.quiesce must be true or false',
  }),
  verify: oneOf('options.verify', ['none', 'sample', 'full'] as const),
  verifySampleRatio: z
    .number({
      invalid_type_error: 'options.verifySampleRatio must be a number',
    })
    .gt(0, 'options.verifySampleRatio must be above 0')
    .lte(1, 'options.verifySampleRatio must be at most 1'),
  deleteSource: z.boolean({
    invalid_type_error: 'options.deleteSource must be true or false',
  }),
  stage: z.boolean({
    invalid_type_error: 'options.stage must be true or false',
  }),
  maxAttempts: z
    .number({ invalid_type_error: 'options.maxAttempts must be a number' })
    .int('options.maxAttempts must be a whole number')
    .min(1, 'options.maxAttempts must be at least 1')
    .max(10, 'options.maxAttempts must be at most 10'),
  ingressClassName: namesOnly('options.ingressClassName'),
};

function namesOnly(what: string) {
  return z
    .string()
    .max(253, `${what} is too long`)
    .regex(
      /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
      `${what} must be a Kubernetes name`,
    );
}

/**
 * Options the operator sets in config and a requester may not, with where they are set instead.
 *
 * @public
 */
export const OPERATOR_OPTIONS: Record<string, string> = {
  image: "the mover image is the operator's (namespaceTransfer.mover.image)",
  resources:
    "mover resources are the operator's (namespaceTransfer.mover.resources)",
  moverResources:
    "mover resources are the operator's (namespaceTransfer.mover.resources)",
  runAsUser:
    'the identity files land as is taken from the destination workload or namespace, not from a request',
  runAsGroup:
    'the identity files land as is taken from the destination workload or namespace, not from a request',
  fsGroup:
    'the identity files land as is taken from the destination workload or namespace, not from a request',
};

/**
 * The engine options of a request. An operator-only option is refused with where it is set instead (not
 * dropped silently: the requester would believe it applied); an unknown one is refused naming the allowed.
 *
 * @public
 */
export const requesterOptionsSchema = z
  .object(REQUESTER_OPTIONS)
  .partial()
  .passthrough()
  .superRefine((options, ctx) => {
    for (const key of Object.keys(options)) {
      if (key in REQUESTER_OPTIONS) continue;
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [key],
        message:
          key in OPERATOR_OPTIONS
            ? `options.${key} cannot be set by a request: ${OPERATOR_OPTIONS[key]}`
            : `options.${key} is not an option; a request may set ${Object.keys(REQUESTER_OPTIONS).join(', ')}`,
      });
    }
  })
  .transform(options => {
    const known: Record<string, unknown> = {};
    for (const key of Object.keys(REQUESTER_OPTIONS))
      if ((options as Record<string, unknown>)[key] !== undefined)
        known[key] = (options as Record<string, unknown>)[key];
    return known as Partial<{
      [K in keyof typeof REQUESTER_OPTIONS]: z.infer<
        (typeof REQUESTER_OPTIONS)[K]
      >;
    }>;
  });

/** @public */
export type RequesterOptions = z.infer<typeof requesterOptionsSchema>;
