import type {
  AuditorService,
  AuditorServiceEvent,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/config';
import type {
  KepHooks,
  KepOutcome,
  KepTransfer,
  RebindEvent,
} from '@namespace-transfer/plugin-namespace-transfer-node';
import type { TransferNotices } from '../notify/types';
import type { KepEntityRefs, TransferStore } from '../store';

export interface KepRecorderOptions {
  store: TransferStore;
  notices: TransferNotices;
  auditor?: AuditorService;
  logger: LoggerService;
  /** the catalog entities of the transfer's claims, as the ownership rules name them now (none: unknown) */
  entities?: (t: KepTransfer) => Promise<KepEntityRefs>;
}

/** The audit event of each attempt: opened when it starts, closed with how it ended. */
const AUDIT_EVENT = 'transfer-run';

/**
 * Records what the KEP controller reports (KepHooks) in the workflow's store, as the worker records its
 * runs: the transfer, its phases, warnings and checkpoints, its end; tells the portal through the same
 * signals (and notifications) the worker's changes send; and writes each attempt to the audit trail. The
 * controller reports synchronously and in order, so the writes of one request queue behind each other;
 * a write that fails is logged and never reaches the controller (the transfer goes on whatever the store
 * does).
 */
export class KepRecorder {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly audits = new Map<string, AuditorServiceEvent>();

  constructor(private readonly o: KepRecorderOptions) {}

  readonly hooks: KepHooks = {
    started: t => this.enqueue(t, 'the start', () => this.started(t)),
    event: (t, e) => {
      void this.enqueue(t, `a ${e.type} event`, () => this.event(t, e));
    },
    checkpoint: (t, c) =>
      this.enqueue(t, 'a checkpoint', () =>
        this.o.store.kep.recordCheckpoint(t, c),
      ),
    retrying: (t, r) =>
      this.enqueue(t, 'a retry', () =>
        this.o.store.kep.recordWarning(
          t,
          `attempt ${t.attempt} failed and is retried in ${Math.round(r.delayMs / 100) / 10} s: ${r.message}`,
        ),
      ),
    ended: (t, outcome) =>
      this.enqueue(t, 'the end', () => this.ended(t, outcome)),
  };

  /** Resolves when every write queued so far is done (tests, and shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  private enqueue(
    t: KepTransfer,
    what: string,
    write: () => Promise<unknown>,
  ): Promise<void> {
    const key = t.requestUid;
    const next: Promise<void> = (this.queues.get(key) ?? Promise.resolve())
      .then(write)
      .then(
        () => undefined,
        e =>
          this.o.logger.warn(
            `could not record ${what} of NamespaceTransferRequest ${t.request.namespace}/${t.request.name} on ${t.cluster}: ${String(e)}`,
          ),
      );
    this.queues.set(key, next);
    // a request whose writes are all done leaves the map
    void next.then(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
    return next;
  }

  private async started(t: KepTransfer): Promise<void> {
    const { transfer, from } = await this.o.store.kep.recordStart(
      t,
      await this.entitiesOf(t),
    );
    await this.openAudit(t, transfer.id);
    await this.o.notices.stateChanged(transfer, {
      from: from ?? 'approved',
      action: 'start',
    });
  }

  private async event(t: KepTransfer, e: RebindEvent): Promise<void> {
    if (e.type === 'phase') {
      const transfer = await this.o.store.kep.recordPhase(t, e.phase);
      if (transfer) await this.o.notices.progressed(transfer, 'phase');
    } else if (e.type === 'warning' || e.type === 'cluster') {
      await this.o.store.kep.recordWarning(t, e.message);
    }
    // steps show in the checkpoint that follows each; a rebind reports no progress samples
  }

  private async ended(t: KepTransfer, outcome: KepOutcome): Promise<void> {
    const entities =
      outcome.state === 'succeeded' ? await this.entitiesOf(t) : {};
    const change = await this.o.store.kep.recordEnd(t, outcome, entities);
    await this.closeAudit(t, change?.transfer.id, outcome);
    if (change?.from)
      await this.o.notices.stateChanged(change.transfer, {
        from: change.from,
        action: outcome.state === 'succeeded' ? 'succeed' : 'fail',
      });
  }

  private async entitiesOf(t: KepTransfer): Promise<KepEntityRefs> {
    if (!this.o.entities) return {};
    try {
      return await this.o.entities(t);
    } catch (e) {
      this.o.logger.info(
        `the catalog entities of NamespaceTransferRequest ${t.request.namespace}/${t.request.name} are not known yet: ${String(e)}`,
      );
      return {};
    }
  }

  private async openAudit(t: KepTransfer, transferId: string): Promise<void> {
    const event = await this.o.auditor?.createEvent({
      eventId: AUDIT_EVENT,
      severityLevel: 'medium',
      meta: { ...auditMeta(t), transferId },
    });
    if (event) this.audits.set(t.requestUid, event);
  }

  /** Closes the attempt's audit event (opened here, or opened now when another replica started it). */
  private async closeAudit(
    t: KepTransfer,
    transferId: string | undefined,
    outcome: KepOutcome,
  ): Promise<void> {
    let event = this.audits.get(t.requestUid);
    this.audits.delete(t.requestUid);
    event ??= await this.o.auditor?.createEvent({
      eventId: AUDIT_EVENT,
      severityLevel: 'medium',
      meta: { ...auditMeta(t), ...(transferId && { transferId }) },
    });
    if (!event) return;
    if (outcome.state === 'failed')
      await event.fail({
        error: new Error(`${outcome.reason}: ${outcome.message}`),
        meta: { outcome: 'failed', reason: outcome.reason },
      });
    else
      await event.success({
        meta:
          outcome.state === 'succeeded'
            ? {
                outcome: 'succeeded',
                volumeName: outcome.volumeName,
                downtimeMs: outcome.downtimeMs,
              }
            : { outcome: 'handedOver' },
      });
  }
}

/** What an audit reader needs to find the transfer and the Kubernetes objects behind it. */
function auditMeta(t: KepTransfer): JsonObject {
  return {
    queryType: 'kubernetes-request',
    requestedVia: 'kubernetes',
    cluster: t.cluster,
    request: { namespace: t.request.namespace, name: t.request.name },
    ...(t.approval && {
      approval: { namespace: t.approval.namespace, name: t.approval.name },
    }),
    source: { ...t.source },
    destination: { ...t.destination },
    adopted: t.adopted,
    attempt: t.attempt,
    engineTransferId: t.id,
  };
}
