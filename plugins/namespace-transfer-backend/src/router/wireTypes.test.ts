/*
 * The workflow routes' real answers checked against common's wire types, the types the portal's client is
 * typed by: the whole plugin on two kube-sim clusters with its worker, one copy run to succeeded, and
 * every route asked once. views.ts proves the same agreement at compile time; this catches what types
 * cannot see (a null or a number as text from the database, a time that is not ISO, a field the store
 * adds). The shapes below are typed by common's interfaces, so they cannot leave a key out or add one.
 */
import type { SimWorld } from 'kube-sim';
import {
  TRANSFER_STATES,
  type BytesMovedOnDay,
  type DestinationCluster,
  type Plan,
  type TransferApiErrorBody,
  type TransferBatch,
  type TransferDecision,
  type TransferDestinationOption,
  type TransferLogEvent,
  type StoredTransferOptions,
  type TransferCallerProfile,
  type TransferStateCounts,
  type TransferSummary,
  type TransfersOnDay,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { startWorld } from '../service/__testUtils__/pluginWorld';
import {
  type Api,
  apiOf,
  inState,
  paymentsClaim,
  startWorkflowPlugin,
  type WorkflowPlugin,
} from '../service/__testUtils__/workflowWorld';

jest.setTimeout(120_000);

/** How a value of type V is checked: a kind, a list of allowed values, or the shape of an object. */
type Rule<V> = [V] extends [string]
  ? 'string' | 'time' | { $oneOf: readonly V[] }
  : [V] extends [number]
    ? 'number' | 'integer'
    : [V] extends [boolean]
      ? 'boolean'
      : [V] extends [ReadonlyArray<infer U>]
        ? { $array: Rule<U> }
        : [V] extends [object]
          ? 'object' | Shape<V>
          : never;

/** Every key of T (no more, no fewer), optional exactly where T's is. */
type Shape<T> = {
  [K in keyof T]-?: undefined extends T[K]
    ? { $optional: Rule<Exclude<T[K], undefined>> }
    : Rule<T[K]>;
};

type AnyRule =
  | string
  | { $oneOf: readonly unknown[] }
  | { $array: AnyRule }
  | { $optional: AnyRule }
  | { [key: string]: AnyRule };

const opt = <R>(rule: R) => ({ $optional: rule });
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const PRIMITIVES: Record<string, (v: unknown) => boolean> = {
  string: v => typeof v === 'string',
  // exactly what Date.prototype.toJSON writes
  time: v => typeof v === 'string' && new Date(v).toISOString() === v,
  number: v => typeof v === 'number' && Number.isFinite(v),
  integer: v => Number.isInteger(v),
  boolean: v => typeof v === 'boolean',
  object: isObject,
};

/** What of `value` breaks `rule`; `seen` collects the optional paths that were present. */
function check(
  value: unknown,
  rule: AnyRule,
  at: string,
  seen: Set<string>,
): string[] {
  if (typeof rule === 'string')
    return PRIMITIVES[rule](value)
      ? []
      : [`${at}: ${JSON.stringify(value)} is not ${rule}`];
  if ('$oneOf' in rule)
    return (rule.$oneOf as unknown[]).includes(value)
      ? []
      : [`${at}: ${JSON.stringify(value)} is not one of ${rule.$oneOf}`];
  if ('$array' in rule)
    return Array.isArray(value)
      ? value.flatMap(v => check(v, rule.$array as AnyRule, `${at}[]`, seen))
      : [`${at}: not an array`];
  if (!isObject(value)) return [`${at}: not an object`];
  const shape = rule as Record<string, AnyRule>;
  const problems = Object.keys(value)
    .filter(k => !(k in shape))
    .map(k => `${at}.${k}: not in common's type`);
  for (const [key, r] of Object.entries(shape)) {
    const optional = isObject(r) && '$optional' in r;
    if (!(key in value)) {
      if (!optional) problems.push(`${at}.${key}: missing`);
      continue;
    }
    if (optional) seen.add(`${at}.${key}`);
    const inner = optional ? (r.$optional as AnyRule) : r;
    problems.push(...check(value[key], inner, `${at}.${key}`, seen));
  }
  return problems;
}

const OPTIONS: Shape<StoredTransferOptions> = {
  mover: opt('string'),
  transport: opt('string'),
  endpoint: opt('string'),
  quiesce: opt('boolean'),
  verify: opt({ $oneOf: ['none', 'sample', 'full'] }),
  verifySampleRatio: opt('number'),
  deleteSource: opt('boolean'),
  stage: opt('boolean'),
  maxAttempts: opt('integer'),
  ingressClassName: opt('string'),
  runAsUser: opt('integer'),
  runAsGroup: opt('integer'),
  fsGroup: opt('integer'),
  image: opt('string'),
  destinationLabels: opt('object'),
};

const PLAN: Shape<Plan> = {
  transferId: 'string',
  source: {
    cluster: 'string',
    namespace: 'string',
    name: 'string',
    capacityBytes: opt('integer'),
    usedBytes: opt('integer'),
    storageClassName: opt('string'),
    accessModes: { $array: 'string' },
    volumeName: opt('string'),
  },
  destination: {
    cluster: 'string',
    namespace: 'string',
    name: 'string',
    storageClassName: opt('string'),
    size: opt('string'),
    sizeBytes: opt('integer'),
    labels: opt('object'),
    exists: 'boolean',
  },
  mode: { $oneOf: ['copy', 'rebind'] },
  modeReason: 'string',
  otherMode: opt({ mode: { $oneOf: ['copy', 'rebind'] }, whyNot: 'string' }),
  intent: { $oneOf: ['move', 'clone'] },
  mover: 'string',
  transport: 'string',
  endpoint: opt('string'),
  endpointReason: opt('string'),
  identity: opt('object'),
  workloads: { $array: 'object' },
  usedBy: opt({
    pods: { $array: 'string' },
    finishedPods: { $array: 'string' },
  }),
  podSecurity: { source: opt('string'), destination: opt('string') },
  moverResources: opt('object'),
  estimatedSeconds: opt('number'),
  estimatedDowntimeSeconds: opt('number'),
  warnings: { $array: 'string' },
  refusals: { $array: { code: 'string', message: 'string' } },
  allowed: 'boolean',
};

const TRANSFER: Shape<TransferSummary> = {
  id: 'string',
  batchId: opt('string'),
  source: {
    cluster: 'string',
    namespace: 'string',
    claim: 'string',
    entityRef: 'string',
  },
  destination: {
    cluster: 'string',
    namespace: 'string',
    claim: 'string',
    storageClass: opt('string'),
    size: opt('string'),
    entityRef: 'string',
  },
  requestedMode: { $oneOf: ['copy', 'rebind', 'auto'] },
  chosenMode: opt({ $oneOf: ['copy', 'rebind'] }),
  intent: { $oneOf: ['move', 'clone'] },
  options: OPTIONS,
  plan: PLAN,
  requester: 'string',
  requestedVia: { $oneOf: ['portal', 'kubernetes'] },
  kubernetesRequest: opt({
    cluster: 'string',
    namespace: 'string',
    name: 'string',
  }),
  state: { $oneOf: TRANSFER_STATES },
  phase: opt('string'),
  cancelRequested: 'boolean',
  pastPointOfNoReturn: 'boolean',
  leftForResume: 'boolean',
  approvedBy: { $array: 'string' },
  progress: {
    bytesDone: opt('integer'),
    bytesTotal: opt('integer'),
    filesDone: opt('integer'),
    filesTotal: opt('integer'),
    rateBytesPerSecond: opt('number'),
    etaSeconds: opt('number'),
  },
  attempt: 'integer',
  engineTransferId: 'string',
  downtimeMs: opt('integer'),
  error: opt('string'),
  createdAt: 'time',
  updatedAt: 'time',
  expiresAt: opt('time'),
  cutoverAt: opt('time'),
  startedAt: opt('time'),
  finishedAt: opt('time'),
  url: 'string',
  comment: opt('string'),
  allowedActions: {
    $array: {
      $oneOf: ['approve', 'reject', 'cancel', 'retry', 'resume', 'cutover'],
    },
  },
};

const PAGE = { items: { $array: TRANSFER }, nextCursor: opt('string') };

const DECISION: Shape<TransferDecision> = {
  id: 'string',
  transferId: 'string',
  kind: {
    $oneOf: ['approve', 'reject', 'cancel', 'retry', 'resume', 'cutover'],
  },
  actor: 'string',
  comment: opt('string'),
  ownership: 'object',
  decidedAt: 'time',
};

const EVENT: Shape<TransferLogEvent> = {
  id: 'string',
  transferId: 'string',
  at: 'time',
  kind: {
    $oneOf: ['state', 'phase', 'progress', 'decision', 'warning', 'error'],
  },
  payload: 'object',
};

const BATCH: Shape<TransferBatch> = {
  id: 'string',
  requester: 'string',
  source: { cluster: 'string', namespace: 'string' },
  destinationEntityRef: 'string',
  comment: opt('string'),
  createdAt: 'time',
};

const DESTINATION: Shape<TransferDestinationOption> = {
  entityRef: 'string',
  cluster: 'string',
  namespace: 'string',
  labels: 'object',
};

const CLUSTER: Shape<DestinationCluster> = {
  cluster: 'string',
  storageClasses: { $array: { name: 'string', isDefault: 'boolean' } },
  error: opt('string'),
};

const COUNTS = Object.fromEntries(
  TRANSFER_STATES.map(s => [s, 'integer']),
) as Shape<TransferStateCounts>;

const DAY: Shape<BytesMovedOnDay> = {
  day: 'string',
  bytes: 'integer',
  transfers: 'integer',
};

const TRANSFERS_ON_DAY: Shape<TransfersOnDay> = {
  day: 'string',
  counts: Object.fromEntries(
    TRANSFER_STATES.map(s => [s, opt('integer')]),
  ) as Shape<TransfersOnDay['counts']>,
};

const PROFILE: Shape<TransferCallerProfile> = {
  userEntityRef: 'string',
  isAdmin: 'boolean',
  canAudit: 'boolean',
  allowSelfApproval: 'boolean',
  requiredApprovals: 'integer',
  cutoverWindows: {
    $array: {
      days: { $array: 'string' },
      start: 'string',
      end: 'string',
      timeZone: 'string',
    },
  },
};

const ERROR: Shape<TransferApiErrorBody> = {
  error: { name: 'string', message: 'string', stack: opt('string') },
  request: opt({ method: 'string', url: 'string' }),
  response: { statusCode: 'integer' },
};

/** The wire shape of each route's answer, by `METHOD path` as the OpenAPI document names it. */
const ANSWERS: Record<string, AnyRule> = {
  'POST /plans': PLAN,
  'POST /transfers': TRANSFER,
  'POST /batches': { batch: BATCH, transfers: { $array: TRANSFER } },
  'GET /transfers': PAGE,
  'GET /approvals/pending': PAGE,
  'GET /transfers/{id}': {
    transfer: TRANSFER,
    decisions: { $array: DECISION },
  },
  'GET /transfers/{id}/events': { events: { $array: EVENT } },
  'POST /transfers/{id}/decision': TRANSFER,
  'GET /destinations': {
    destinations: { $array: DESTINATION },
    clusters: { $array: CLUSTER },
  },
  'GET /stats/states': { counts: COUNTS },
  'GET /stats/bytes-per-day': { days: { $array: DAY } },
  'GET /stats/transfers-per-day': { days: { $array: TRANSFERS_ON_DAY } },
  'GET /me': PROFILE,
  error: ERROR,
};

let world: SimWorld;
let plugin: WorkflowPlugin;
let api: Api;

beforeAll(async () => {
  world = await startWorld();
  plugin = await startWorkflowPlugin(world, {
    worker: {
      enabled: true,
      leaseDuration: '20s',
      pollInterval: '200ms',
      progressSampleInterval: '200ms',
    },
  });
  api = apiOf(plugin.server);
});

afterAll(async () => {
  await plugin?.stop();
  await world?.stop();
});

describe('the checker', () => {
  const problems = (value: unknown, rule: AnyRule) =>
    check(value, rule, '$', new Set());

  it('refuses what common does not describe: a missing key, an extra one, a null, a time not in ISO form', () => {
    const batch = {
      id: 'b',
      requester: 'user:default/alice',
      source: { cluster: 'east', namespace: 'payments' },
      destinationEntityRef: 'component:default/x',
      createdAt: '2026-12-05T10:00:00.000Z',
    };
    expect(problems(batch, BATCH)).toEqual([]);
    const { requester: _r, ...missing } = batch;
    expect(
      problems({ ...missing, comment: null, leased: 1 }, BATCH).sort(),
    ).toEqual([
      '$.comment: null is not string',
      "$.leased: not in common's type",
      '$.requester: missing',
    ]);
    expect(
      problems({ ...batch, createdAt: '2026-12-05 10:00:00' }, BATCH),
    ).toEqual(['$.createdAt: "2026-12-05 10:00:00" is not time']);
    expect(problems({ ...batch, createdAt: 1764928800000 }, BATCH)).toEqual([
      '$.createdAt: 1764928800000 is not time',
    ]);
  });
});

describe("the workflow routes' answers", () => {
  const answers: Array<[string, number, unknown]> = [];
  const seen = new Set<string>();

  /** Asks (a POST when there is a body), keeps the answer for the check by its route's name, returns the body. */
  async function ask(
    route: string,
    who: Parameters<Api['get']>[0],
    path: string,
    status: number,
    body?: object,
  ) {
    const res = await (body ? api.post(who, path, body) : api.get(who, path));
    answers.push([route, res.status, res.body]);
    expect([route, res.status, res.body.error?.message]).toEqual([
      route,
      status,
      status >= 400 ? expect.any(String) : undefined,
    ]);
    return res.body;
  }

  it('are what common says they are, after a copy ran to succeeded', async () => {
    await paymentsClaim(world, 'wire-data', 4);
    const request = {
      source: { cluster: 'east', namespace: 'payments', claim: 'wire-data' },
      destination: { entityRef: 'component:default/payments-next' },
      options: { verify: 'full' },
      comment: 'for the wire check',
    };
    await ask('POST /plans', 'requester', '/plans', 200, request);
    const t = await ask(
      'POST /transfers',
      'requester',
      '/transfers',
      201,
      request,
    );
    const batch = await ask('POST /batches', 'requester', '/batches', 201, {
      source: {
        cluster: 'east',
        namespace: 'payments',
        claims: ['payments-data'],
      },
      destination: request.destination,
      comment: 'a batch of one',
    });
    const first = await ask(
      'GET /transfers',
      'requester',
      '/transfers?limit=1',
      200,
    );
    await ask(
      'GET /transfers',
      'requester',
      `/transfers?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`,
      200,
    );
    const pending = await ask(
      'GET /approvals/pending',
      'sourceOwner',
      '/approvals/pending',
      200,
    );
    expect(
      pending.items.map((i: TransferSummary) => [i.id, i.allowedActions]),
    ).toContainEqual([t.id, ['approve', 'reject', 'cancel']]);
    await ask(
      'POST /transfers/{id}/decision',
      'sourceOwner',
      `/transfers/${t.id}/approve`,
      200,
      { comment: 'go ahead' },
    );
    const other = batch.transfers[0].id;
    await ask(
      'POST /transfers/{id}/decision',
      'sourceOwner',
      `/transfers/${other}/reject`,
      200,
      {},
    );
    const ended = await inState(api, t.id, 'succeeded', 'failed', 'cancelled');

    await ask('GET /transfers/{id}', 'requester', `/transfers/${t.id}`, 200);
    const log = await ask(
      'GET /transfers/{id}/events',
      'requester',
      `/transfers/${t.id}/events`,
      200,
    );
    const next = await ask(
      'GET /transfers/{id}/events',
      'requester',
      `/transfers/${t.id}/events?after=${log.events[0].id}&limit=2`,
      200,
    );
    // what TransferEventPage says: the last id read is the cursor, and the page goes on from there
    expect(next.events.map((e: TransferLogEvent) => e.id)).toEqual(
      log.events.slice(1, 3).map((e: TransferLogEvent) => e.id),
    );
    await ask('GET /transfers', 'requester', '/transfers', 200);
    await ask('GET /destinations', 'requester', '/destinations', 200);
    await ask(
      'GET /stats/states',
      'requester',
      '/stats/states?cluster=east',
      200,
    );
    const me = await ask('GET /me', 'requester', '/me', 200);
    expect(me).toMatchObject({
      userEntityRef: 'user:default/alice',
      canAudit: false,
    });
    // the UTC day the run ended on and, for the requests not ended, the day they were requested
    const perDay = await ask(
      'GET /stats/transfers-per-day',
      'admin',
      `/stats/transfers-per-day?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
      200,
    );
    expect(
      perDay.days.find(
        (d: TransfersOnDay) => d.day === ended.finishedAt.slice(0, 10),
      )?.counts.succeeded,
    ).toBeGreaterThanOrEqual(1);
    // the UTC day the run finished on, as the stats route groups by it
    const day = String(ended.finishedAt).slice(0, 10);
    const days = await ask(
      'GET /stats/bytes-per-day',
      'admin',
      `/stats/bytes-per-day?from=${day}T00:00:00Z&to=2100-01-01T00:00:00Z`,
      200,
    );
    // refusals: Backstage's error body
    await ask('error', 'sourceOwner', `/transfers/${other}/approve`, 409, {});
    await ask('error', 'nonOwner', `/transfers/${t.id}`, 404);
    await ask(
      'error',
      'requester',
      '/stats/transfers-per-day?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z',
      403,
    );
    await ask('error', 'requester', '/transfers', 400, { source: {} });

    const problems = answers.flatMap(([route, status, body]) =>
      check(body, ANSWERS[route], `${route} ${status}`, seen),
    );
    expect(problems).toEqual([]);

    const done = answers.find(
      ([route, , body]) =>
        route === 'GET /transfers/{id}' &&
        (body as { transfer: TransferSummary }).transfer.id === t.id,
    )![2] as { transfer: TransferSummary };
    expect(done.transfer.state).toBe('succeeded');
    // what the requester may do: cancel their request, nothing once it succeeded
    expect([t.allowedActions, done.transfer.allowedActions]).toEqual([
      ['cancel'],
      [],
    ]);
    expect(days.days).toEqual([expect.objectContaining({ day, transfers: 1 })]);
    // the run filled what only a run fills, so the optional fields were checked, not merely absent
    const optionalSeen = [
      ...new Set([...seen].map(p => p.replace(/^\S+ \S+ \d+/, ''))),
    ];
    for (const path of [
      '.transfer.phase',
      '.transfer.chosenMode',
      '.transfer.startedAt',
      '.transfer.finishedAt',
      '.transfer.expiresAt',
      '.transfer.progress.bytesDone',
      '.transfer.plan.endpoint',
      '.transfer.options.verify',
      '.transfer.options.destinationLabels',
      '.transfer.plan.destination.labels',
      '.decisions[].comment',
      '.batch.comment',
      '.transfers[].batchId',
      '.transfers[].comment',
      '.transfer.comment',
      '.nextCursor',
    ])
      expect(optionalSeen).toContain(path);
  });
});
