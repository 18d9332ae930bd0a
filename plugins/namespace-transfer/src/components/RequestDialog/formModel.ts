import {
  BatchRequest,
  batchRequestSchema,
  CutoverWindow,
  TransferDestinationOption,
  TransferIntent,
  TransferMode,
  TransferRequest,
  transferRequestSchema,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { describeCutoverWindows, inCutoverWindows } from './cutoverWindows';

/** The claims a dialog requests: one claim, or several of one namespace (a batch). */
export interface RequestSource {
  cluster: string;
  namespace: string;
  claims: string[];
}

/** `off`: no waiting in staged; `manual`: staged until someone cuts over; `scheduled`: at `cutoverAt`. */
export type Staging = 'off' | 'manual' | 'scheduled';

/** `default` leaves verification to the operator's configured default. */
export type VerifyChoice = 'default' | 'none' | 'sample' | 'full';

/** Picked in the destination list instead of an entity's own namespace: an admin names cluster and namespace. */
export const CUSTOM_DESTINATION = 'custom';

/** What the dialog's fields hold, as text the way a person typed it. */
export interface RequestForm {
  /** a `destinationKey`, or CUSTOM_DESTINATION */
  destination: string;
  /** the admin's own entity, cluster and namespace (CUSTOM_DESTINATION only) */
  entityRef: string;
  cluster: string;
  namespace: string;
  /** the destination claim's name (one claim only: a batch keeps every name) */
  claim: string;
  /** empty: the destination cluster's default class */
  storageClass: string;
  mode: TransferMode;
  intent: TransferIntent;
  staging: Staging;
  /** a `datetime-local` value, local time */
  cutoverAt: string;
  verify: VerifyChoice;
  /** the share of files checksummed by `sample`, 0 to 1; empty: the engine's default */
  verifySampleRatio: string;
  comment: string;
}

/** Where an error is shown: a field of the form, `source` for the claims themselves, `form` for the rest. */
export type FormField = keyof RequestForm | 'source' | 'form';
export type FieldErrors = Partial<Record<FormField, string>>;

/** A request that passed common's schema, ready for the API. */
export type Draft =
  | { kind: 'one'; request: TransferRequest }
  | { kind: 'batch'; request: BatchRequest };

export interface CheckedForm {
  draft?: Draft;
  errors: FieldErrors;
}

export const isBatch = (source: RequestSource) => source.claims.length > 1;

export const destinationKey = (d: TransferDestinationOption) =>
  `${d.entityRef}|${d.cluster}|${d.namespace}`;

/** The first destination that is not where the claims already are (that one would only collide). */
export function initialForm(
  source: RequestSource,
  destinations: TransferDestinationOption[],
  isAdmin: boolean,
): RequestForm {
  const elsewhere = destinations.find(
    d => d.cluster !== source.cluster || d.namespace !== source.namespace,
  );
  const first = elsewhere ?? destinations[0];
  let destination = '';
  if (first) destination = destinationKey(first);
  else if (isAdmin) destination = CUSTOM_DESTINATION;
  return {
    destination,
    entityRef: '',
    cluster: '',
    namespace: '',
    claim: isBatch(source) ? '' : (source.claims[0] ?? ''),
    storageClass: '',
    mode: 'auto',
    intent: 'move',
    staging: 'off',
    cutoverAt: '',
    verify: 'default',
    verifySampleRatio: '',
    comment: '',
  };
}

/** The destination cluster the form points at, for its storage classes. */
export function destinationCluster(
  form: RequestForm,
  destinations: TransferDestinationOption[],
): string | undefined {
  if (form.destination === CUSTOM_DESTINATION) return form.cluster || undefined;
  return destinations.find(d => destinationKey(d) === form.destination)
    ?.cluster;
}

export interface CheckContext {
  source: RequestSource;
  destinations: TransferDestinationOption[];
  cutoverWindows: CutoverWindow[];
  now: Date;
}

/** The request body as the form says it, before the schema: empty fields are left out. */
function bodyOf(form: RequestForm, ctx: CheckContext, errors: FieldErrors) {
  const custom = form.destination === CUSTOM_DESTINATION;
  const chosen = ctx.destinations.find(
    d => destinationKey(d) === form.destination,
  );
  if (!custom && !chosen) errors.destination = 'Choose where the data goes';
  const destination = {
    ...(custom
      ? {
          entityRef: form.entityRef.trim(),
          cluster: form.cluster,
          namespace: form.namespace.trim(),
        }
      : {
          entityRef: chosen?.entityRef ?? '',
          cluster: chosen?.cluster,
          namespace: chosen?.namespace,
        }),
    ...(!isBatch(ctx.source) && { claim: form.claim.trim() }),
    ...(form.storageClass && { storageClass: form.storageClass }),
  };
  const options = {
    ...(form.verify !== 'default' && { verify: form.verify }),
    ...(form.verify === 'sample' &&
      form.verifySampleRatio.trim() !== '' && {
        verifySampleRatio: Number(form.verifySampleRatio),
      }),
    ...(form.staging !== 'off' && { stage: true }),
  };
  const cutoverAt = cutoverTime(form, ctx, errors);
  const comment = form.comment.trim();
  return {
    destination,
    mode: form.mode,
    intent: form.intent,
    ...(Object.keys(options).length > 0 && { options }),
    ...(cutoverAt !== undefined && { cutoverAt }),
    ...(comment && { comment }),
  };
}

/** The chosen cut-over time as ISO 8601, with the checks the backend makes of it said at the field. */
function cutoverTime(
  form: RequestForm,
  ctx: CheckContext,
  errors: FieldErrors,
): string | undefined {
  if (form.staging !== 'scheduled') return undefined;
  if (!form.cutoverAt) {
    errors.cutoverAt = 'Choose when to cut over';
    return undefined;
  }
  const at = new Date(form.cutoverAt);
  // not a time: the schema says what it expects
  if (Number.isNaN(at.getTime())) return form.cutoverAt;
  if (at.getTime() <= ctx.now.getTime())
    errors.cutoverAt = 'This time has passed: choose a time ahead';
  else if (!inCutoverWindows(at, ctx.cutoverWindows))
    errors.cutoverAt = `This time is outside the cut-over windows (${describeCutoverWindows(ctx.cutoverWindows)}): choose a time inside one`;
  return at.toISOString();
}

/** Which field shows an issue of the schema, by the issue's path. */
function fieldOfPath(path: (string | number)[], custom: boolean): FormField {
  const [head, key] = path;
  if (head === 'destination') {
    switch (key) {
      case 'entityRef':
        return custom ? 'entityRef' : 'destination';
      case 'cluster':
        return custom ? 'cluster' : 'destination';
      case 'namespace':
        return custom ? 'namespace' : 'destination';
      case 'claim':
        return 'claim';
      case 'storageClass':
        return 'storageClass';
      case undefined:
        return custom ? 'namespace' : 'destination';
      default:
        return 'form';
    }
  }
  if (head === 'options') {
    if (key === 'verify') return 'verify';
    if (key === 'verifySampleRatio') return 'verifySampleRatio';
    if (key === 'stage') return 'staging';
    return 'form';
  }
  if (head === 'source') return 'source';
  if (
    head === 'mode' ||
    head === 'intent' ||
    head === 'cutoverAt' ||
    head === 'comment'
  )
    return head;
  return 'form';
}

/**
 * The request the form describes, checked by the same schema the API checks it with; each issue goes to
 * the field it is about (the first one wins), so what the API would refuse is said where it is typed.
 */
export function checkForm(form: RequestForm, ctx: CheckContext): CheckedForm {
  const errors: FieldErrors = {};
  const body = bodyOf(form, ctx, errors);
  if (form.mode === 'rebind' && form.staging !== 'off')
    errors.staging =
      'Rebind hands the volume over at once and has no staging: choose "Cut over right away", or mode copy';
  const { cluster, namespace, claims } = ctx.source;
  const parsed = isBatch(ctx.source)
    ? batchRequestSchema.safeParse({
        source: { cluster, namespace, claims },
        ...body,
      })
    : transferRequestSchema.safeParse({
        source: { cluster, namespace, claim: claims[0] },
        ...body,
      });
  const custom = form.destination === CUSTOM_DESTINATION;
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOfPath(issue.path, custom);
      errors[field] ??= issue.message;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { errors };
  const draft: Draft = isBatch(ctx.source)
    ? { kind: 'batch', request: parsed.data as BatchRequest }
    : { kind: 'one', request: parsed.data as TransferRequest };
  return { draft, errors };
}

/** What to plan for a draft: the request itself, or one request per claim of a batch. */
export function planRequestsOf(
  draft: Draft,
): Array<{ claim: string; request: TransferRequest }> {
  if (draft.kind === 'one')
    return [{ claim: draft.request.source.claim, request: draft.request }];
  const { source, ...rest } = draft.request;
  return (source.claims ?? []).map(claim => ({
    claim,
    request: {
      ...rest,
      source: { cluster: source.cluster, namespace: source.namespace, claim },
    },
  }));
}

/** Sets one field of the form. */
export type SetField = <K extends keyof RequestForm>(
  key: K,
  value: RequestForm[K],
) => void;

/** What every group of fields receives. */
export interface FieldsProps {
  form: RequestForm;
  errors: FieldErrors;
  set: SetField;
}
