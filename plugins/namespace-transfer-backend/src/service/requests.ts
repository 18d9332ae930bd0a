import { randomUUID } from 'node:crypto';
import {
  InputError,
  isError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type {
  BatchRequest,
  Plan,
  StoredTransferOptions,
  TransferRequest,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type {
  Caller,
  ClaimRef,
  Destination,
  TransferAccess,
} from '../access/types';
import { scrubMessage } from '../clusters';
import type { NewTransfer } from '../store';
import type { WorkflowConfig } from './config';
import type { ClusterFacts, CutoverWindows, Planner } from './ports';
import { transferSpec } from './spec';

/** The fields by which a request asks to wait in staged for its cut over. */
const STAGING_FIELDS = 'cutoverAt and options.stage';

/** What a request and a batch share: everything but the source claim(s). */
type RequestCommon = Omit<TransferRequest, 'source' | 'destination'> & {
  destination: BatchRequest['destination'] & { claim?: string };
};

export interface RequestDeps {
  access: TransferAccess;
  planner: Planner;
  clusters: ClusterFacts;
  windows: CutoverWindows;
  config: WorkflowConfig;
  now: () => Date;
}

/** A request checked and planned, ready to store. */
export type PlannedTransfer = NewTransfer;

/**
 * Turns a request into transfers to store: the destination through the caller's entity (access decides),
 * the source's entity from the catalog now, config defaults where the request says nothing, and the
 * engine's plan. Nothing here writes anything.
 */
export class RequestPlanner {
  constructor(private readonly deps: RequestDeps) {}

  /** The plan of one claim, refusals included (the dry run). */
  async dryRun(caller: Caller, req: TransferRequest): Promise<Plan> {
    const destination = await this.destination(caller, req);
    const t = await this.newTransfer(
      caller,
      req,
      destination,
      req.source,
      req.destination.claim,
    );
    const plan = await this.plan(t);
    // a dry run shows what the engine refuses; what the workflow would refuse it refuses as create does
    if (plan.allowed) assertStageable([[req.source, { ...t, plan }]]);
    return plan;
  }

  /** One claim, planned; a plan the engine refuses is a 400 listing every refusal. */
  async one(caller: Caller, req: TransferRequest): Promise<PlannedTransfer> {
    const destination = await this.destination(caller, req);
    const t = await this.newTransfer(
      caller,
      req,
      destination,
      req.source,
      req.destination.claim,
    );
    const plan = await this.plan(t);
    if (!plan.allowed) throw refused([[req.source, plan]], 1);
    assertStageable([[req.source, { ...t, plan }]]);
    return { ...t, plan };
  }

  /** Several claims of one namespace (all of them when none are named), each planned; all or none. */
  async batch(caller: Caller, req: BatchRequest): Promise<PlannedTransfer[]> {
    const destination = await this.destination(caller, req);
    const { cluster, namespace } = req.source;
    this.knownCluster(cluster, 'source.cluster');
    const claims =
      req.source.claims ?? (await this.claimsOf(cluster, namespace));
    if (claims.length === 0)
      throw new InputError(
        `namespace ${namespace} on cluster ${cluster} has no claims to transfer`,
      );
    const planned: Array<[ClaimRef, PlannedTransfer]> = [];
    // one at a time: a namespace of many claims must not open as many connections to the clusters at once
    for (const claim of claims) {
      const source = { cluster, namespace, claim };
      const t = await this.newTransfer(caller, req, destination, source);
      planned.push([source, { ...t, plan: await this.plan(t) }]);
    }
    const refusals = planned.filter(([, t]) => !t.plan.allowed);
    if (refusals.length)
      throw refused(
        refusals.map(([source, t]) => [source, t.plan]),
        planned.length,
      );
    assertStageable(planned);
    return planned.map(([, t]) => t);
  }

  private async destination(
    caller: Caller,
    req: RequestCommon,
  ): Promise<Destination> {
    const { entityRef, cluster, namespace } = req.destination;
    if (cluster !== undefined)
      this.knownCluster(cluster, 'destination.cluster');
    const destination = await this.deps.access.destination(
      caller,
      entityRef,
      // a request may name only the cluster (the entity's namespace exists on several); only an admin may
      // name another namespace, which access decides
      cluster !== undefined || namespace !== undefined
        ? { cluster, namespace }
        : undefined,
    );
    this.knownCluster(
      destination.cluster,
      `the cluster of ${destination.entityRef}`,
    );
    return destination;
  }

  private knownCluster(name: string, what: string) {
    const names = this.deps.clusters.names();
    if (!names.includes(name))
      throw new InputError(
        `${what} '${name}' is not a configured cluster; configured: ${names.join(', ') || '(none)'}`,
      );
  }

  private async claimsOf(cluster: string, namespace: string) {
    try {
      return await this.deps.clusters.claims(cluster, namespace);
    } catch (e) {
      throw unavailable(`the claims of ${cluster}/${namespace}`, e);
    }
  }

  private async newTransfer(
    caller: Caller,
    req: RequestCommon,
    destination: Destination,
    source: ClaimRef,
    destinationClaim?: string,
  ): Promise<Omit<NewTransfer, 'plan'>> {
    const { config, now } = this.deps;
    this.knownCluster(source.cluster, 'source.cluster');
    const ownership = await this.deps.access.claimOwnership(source);
    const options: StoredTransferOptions = {
      ...config.defaults.options,
      ...req.options,
      destinationLabels: destination.labels,
    };
    const requestedMode = req.mode ?? config.defaults.mode;
    const staging = stagingAsked(req.cutoverAt, options);
    // refused before the clusters are asked: the plan cannot change this
    if (requestedMode === 'rebind' && staging)
      throw new InputError(
        `mode rebind has no staging, but the request asks for it (${staging}): leave out ${STAGING_FIELDS}, or ask for mode copy`,
      );
    return {
      source: { ...source, entityRef: ownership.entityRef ?? '' },
      destination: {
        cluster: destination.cluster,
        namespace: destination.namespace,
        claim: destinationClaim ?? source.claim,
        ...(req.destination.storageClass && {
          storageClass: req.destination.storageClass,
        }),
        ...(req.destination.size && { size: req.destination.size }),
        entityRef: destination.entityRef,
      },
      requestedMode,
      intent: req.intent ?? config.defaults.intent,
      options,
      requester: caller.userRef!,
      expiresAt: new Date(now().getTime() + config.expireAfterMs),
      ...(req.cutoverAt && {
        cutoverAt: this.cutoverAt(req.cutoverAt, options),
      }),
    };
  }

  /** A cutover time must lie ahead, inside a maintenance window, and the transfer must stage. */
  private cutoverAt(text: string, options: StoredTransferOptions): Date {
    const at = new Date(text);
    if (options.stage === false)
      throw new InputError(
        'cutoverAt needs a staged transfer: leave options.stage out or set it to true',
      );
    if (at.getTime() <= this.deps.now().getTime())
      throw new InputError(
        `cutoverAt ${at.toISOString()} is in the past: choose a time ahead`,
      );
    if (!this.deps.windows.allows(at))
      throw new InputError(
        `cutoverAt ${at.toISOString()} is outside the maintenance windows (${this.deps.windows.describe()}): choose a time inside one`,
      );
    return at;
  }

  private async plan(t: Omit<NewTransfer, 'plan'>): Promise<Plan> {
    try {
      // the real engine id comes with the stored row; a plan writes nothing, so any id will do
      return await this.deps.planner.plan(
        transferSpec({ ...t, engineTransferId: randomUUID() }),
      );
    } catch (e) {
      if (isError(e) && e.name === 'InputError') throw e;
      throw unavailable(
        `the plan of ${t.source.cluster}/${t.source.namespace}/${t.source.claim}`,
        e,
      );
    }
  }
}

/** What makes a transfer wait in staged for its cut over (the worker's waitsForCutover), or undefined. */
function stagingAsked(
  cutoverAt: unknown,
  options: StoredTransferOptions,
): string | undefined {
  const asked = [
    ...(cutoverAt !== undefined ? ['cutoverAt'] : []),
    ...(options.stage === true ? ['options.stage: true'] : []),
  ];
  return asked.length ? asked.join(', ') : undefined;
}

/**
 * A 400 for the claims whose plan chose rebind (`auto`) while the request waits for a cut over: rebind has
 * no staging, and the run would only fail once approved.
 */
function assertStageable(
  planned: Array<
    [ClaimRef, Pick<NewTransfer, 'options' | 'cutoverAt' | 'plan'>]
  >,
): void {
  const rebinds = planned.flatMap(([c, { plan, ...t }]) => {
    const staging = stagingAsked(t.cutoverAt, t.options);
    return plan.mode === 'rebind' && staging ? [{ c, plan, staging }] : [];
  });
  if (!rebinds.length) return;
  const claims = rebinds
    .map(
      ({ c, plan }) =>
        `${c.cluster}/${c.namespace}/${c.claim}: ${plan.modeReason}`,
    )
    .join('; ');
  throw new InputError(
    `the plan chooses rebind, which has no staging, but the request asks for it (${rebinds[0].staging}): ${claims}; leave out ${STAGING_FIELDS}, or ask for mode copy`,
  );
}

function unavailable(what: string, e: unknown): ServiceUnavailableError {
  const why = isError(e) ? scrubMessage(e.message) : String(e);
  return new ServiceUnavailableError(
    `could not read ${what} from the clusters: ${why}; try again later`,
  );
}

/** A 400 that lists every refusal of every claim, so the requester can fix them all at once. */
function refused(plans: Array<[ClaimRef, Plan]>, of: number): InputError {
  const lines = plans.flatMap(([c, plan]) =>
    plan.refusals.map(
      r => `${c.cluster}/${c.namespace}/${c.claim}: ${r.code}: ${r.message}`,
    ),
  );
  return new InputError(
    `the engine refuses ${of === 1 ? 'this transfer' : `${plans.length} of the ${of} transfers`}, nothing was stored: ${lines.join('; ')}`,
  );
}
