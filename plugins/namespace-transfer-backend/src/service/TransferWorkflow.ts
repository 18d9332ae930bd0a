import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  BatchRequest,
  DecisionBody,
  EventsQuery,
  ListQuery,
  Plan,
  TransferRequest,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { Caller, Destination, TransferAccess } from '../access/types';
import type { TransferNotices } from '../notify/types';
import type {
  Batch,
  ListPage,
  Transfer,
  TransferEvent,
  TransferFilter,
  TransferStore,
} from '../store';
import type { DecisionKind, TransferState } from '../workflow/states';
import type { WorkflowConfig } from './config';
import type {
  ClusterFacts,
  CutoverWindows,
  Planner,
  StorageClassInfo,
} from './ports';
import {
  ActionContext,
  ActionVerdict,
  allowedActions,
  judgeAction,
} from './actions';
import { RequestPlanner } from './requests';
import {
  csvRow,
  CsvRow,
  TransferDetail,
  transferView,
  TransferView,
} from './views';

export interface TransferWorkflowOptions {
  store: TransferStore;
  access: TransferAccess;
  notices: TransferNotices;
  planner: Planner;
  clusters: ClusterFacts;
  windows: CutoverWindows;
  config: WorkflowConfig;
  now?: () => Date;
  /** transfers read from the store at a time for the CSV export (default 100) */
  exportPageSize?: number;
  /** after a stored decision: the worker may have something to claim (an approval, retry, resume, cut over) */
  onDecided?: (transfer: Transfer) => void;
}

/** The list's filters without its paging, sort and state (what `GET /stats/states` counts by). */
export type StateCountsQuery = Omit<
  ListQuery,
  'limit' | 'cursor' | 'sort' | 'order' | 'state'
>;

/** What the signed-in user may do in the plugin (`GET /me`). */
export interface CallerProfile {
  userEntityRef: string;
  isAdmin: boolean;
  canAudit: boolean;
  allowSelfApproval: boolean;
  requiredApprovals: number;
  cutoverWindows: ReturnType<CutoverWindows['list']>;
}

export interface ListResult {
  items: TransferView[];
  nextCursor?: string;
}

export interface DestinationsResult {
  destinations: Destination[];
  clusters: Array<{
    cluster: string;
    storageClasses: StorageClassInfo[];
    error?: string;
  }>;
}

const EXPORT_PAGE = 100;

/** A refusal as the error the router answers with. */
function denied(d: ActionVerdict & { allowed: false }): Error {
  if (d.status === 404) return new NotFoundError(d.reason);
  return d.status === 409
    ? new ConflictError(d.reason)
    : new NotAllowedError(d.reason);
}

/**
 * The workflow (DESIGN §4 "service"): requests, decisions and what people read of transfers. Who may do
 * what is TransferAccess's answer, asked at the time of every act; the store applies every change as a
 * conditional update; the notices hear of each stored change.
 */
export class TransferWorkflow {
  private readonly requests: RequestPlanner;
  private readonly now: () => Date;

  constructor(private readonly o: TransferWorkflowOptions) {
    this.now = o.now ?? (() => new Date());
    this.requests = new RequestPlanner({ ...o, now: this.now });
  }

  caller(credentials: Parameters<TransferAccess['caller']>[0]) {
    return this.o.access.caller(credentials);
  }

  /** The dry run: what the engine would do, refusals included; nothing is stored. */
  async plan(caller: Caller, req: TransferRequest): Promise<Plan> {
    requireUser(caller);
    return this.requests.dryRun(caller, req);
  }

  async create(caller: Caller, req: TransferRequest): Promise<TransferView> {
    requireUser(caller);
    const planned = await this.requests.one(caller, req);
    const transfer = await this.o.store.createTransfer({
      ...planned,
      ...(req.comment && { comment: req.comment }),
    });
    await this.requested(transfer, caller, req.comment);
    const [view] = await this.views(caller, [transfer]);
    return view;
  }

  async createBatch(
    caller: Caller,
    req: BatchRequest,
  ): Promise<{ batch: Batch; transfers: TransferView[] }> {
    const user = requireUser(caller);
    const planned = await this.requests.batch(caller, req);
    const { batch, transfers } = await this.o.store.createBatch(
      {
        requester: user,
        source: {
          cluster: req.source.cluster,
          namespace: req.source.namespace,
        },
        destinationEntityRef: planned[0].destination.entityRef,
        ...(req.comment && { comment: req.comment }),
      },
      planned.map(t => ({
        ...t,
        ...(req.comment && { comment: req.comment }),
      })),
    );
    for (const t of transfers) await this.requested(t, caller, req.comment);
    return { batch, transfers: await this.views(caller, transfers) };
  }

  /**
   * A person's decision: allowed now by the access rules (the ownership that allowed it is recorded with
   * it) and by the transfer's state (judgeAction), then applied by the store only if the transfer has not
   * changed meanwhile (409 if it has and no longer allows it).
   */
  async decide(
    caller: Caller,
    id: string,
    kind: DecisionKind,
    body: DecisionBody,
  ): Promise<TransferView> {
    const user = requireUser(caller);
    const before = await this.readable(caller, id);
    const allowed = judgeAction(
      kind,
      before,
      await this.o.access.may(kind, before, caller),
      this.context(user),
    );
    if (!allowed.allowed) throw denied(allowed);
    const after = await this.o.store.decide(
      {
        transferId: id,
        kind,
        actor: user,
        ...(body.comment && { comment: body.comment }),
        ownership: allowed.ownership,
      },
      { requiredApprovals: this.o.config.requiredApprovals },
    );
    this.o.onDecided?.(after);
    await this.o.notices.stateChanged(after, {
      from: before.state,
      action: kind,
      actor: user,
      ...(body.comment && { comment: body.comment }),
    });
    const [view] = await this.views(caller, [after]);
    return view;
  }

  async get(caller: Caller, id: string): Promise<TransferDetail> {
    const transfer = await this.readable(caller, id);
    const [view] = await this.views(caller, [transfer]);
    return {
      transfer: view,
      decisions: await this.o.store.decisions(id),
    };
  }

  async list(caller: Caller, query: ListQuery): Promise<ListResult> {
    const page = await this.page(
      caller,
      query,
      await this.filterOf(caller, query),
    );
    return { ...page, items: await this.views(caller, page.items) };
  }

  /** Pending requests the caller may approve now (a page may hold fewer than `limit`; follow the cursor). */
  async waitingForApproval(
    caller: Caller,
    query: ListQuery,
  ): Promise<ListResult> {
    // what waits for the caller is what they own the source of, not everything they may read
    const { visibleTo, ...filters } = await this.filterOf(caller, query);
    const filter: TransferFilter = { ...filters, state: ['pending-approval'] };
    if (!caller.isAdmin)
      filter.sourceEntityRefs = visibleTo?.ownedEntityRefs ?? [];
    const page = await this.page(caller, query, filter);
    const views = await this.views(caller, page.items);
    return {
      ...page,
      items: views.filter(t => t.allowedActions.includes('approve')),
    };
  }

  async events(
    caller: Caller,
    id: string,
    query: EventsQuery,
  ): Promise<TransferEvent[]> {
    await this.readable(caller, id);
    return this.o.store.readEvents({
      transferId: id,
      ...(query.after !== undefined && { after: query.after }),
      ...(query.limit !== undefined && { limit: query.limit }),
    });
  }

  /** Where the caller may request into, with each cluster's storage classes (a cluster that failed says so). */
  async destinations(caller: Caller): Promise<DestinationsResult> {
    requireUser(caller);
    const destinations = await this.o.access.destinations(caller);
    const names = [...new Set(destinations.map(d => d.cluster))].sort();
    const clusters = await Promise.all(
      names.map(async cluster => {
        try {
          return {
            cluster,
            storageClasses: await this.o.clusters.storageClasses(cluster),
          };
        } catch (e) {
          return {
            cluster,
            storageClasses: [],
            error: `could not read its storage classes: ${(e as Error).message}`,
          };
        }
      }),
    );
    return { destinations, clusters };
  }

  /** What the signed-in user may do in the plugin, for the portal to show the right things. */
  async me(caller: Caller): Promise<CallerProfile> {
    const userEntityRef = requireUser(caller);
    return {
      userEntityRef,
      isAdmin: caller.isAdmin,
      // exactly what lets the list show every transfer and the audit routes answer
      canAudit: (await this.o.access.visibility(caller)) === undefined,
      allowSelfApproval: this.o.access.allowSelfApproval,
      requiredApprovals: this.o.config.requiredApprovals,
      cutoverWindows: this.o.windows.list(),
    };
  }

  /** Transfers per state, of those the caller may read that match the list's filters. */
  async countsByState(
    caller: Caller,
    query: StateCountsQuery = {},
  ): Promise<Record<TransferState, number>> {
    return this.o.store.countsByState(await this.filterOf(caller, query));
  }

  /** Bytes moved per day across the portal: for holders of the audit permission only. */
  async bytesMovedPerDay(caller: Caller, range: { from: Date; to: Date }) {
    await this.requireAudit(caller, 'bytes moved per day');
    return this.o.store.bytesMovedPerDay(range);
  }

  /** Transfers per day and state across the portal: for holders of the audit permission only. */
  async transfersPerDay(caller: Caller, range: { from: Date; to: Date }) {
    await this.requireAudit(caller, 'transfers per day');
    return this.o.store.transfersPerDay(range);
  }

  private async requireAudit(caller: Caller, what: string) {
    if (await this.o.access.visibility(caller))
      throw new NotAllowedError(
        `${what} cover every transfer: they need the namespace-transfer.transfer.audit permission`,
      );
  }

  /**
   * The audit export: every transfer the caller may read that matches, a page at a time (never all at
   * once; the caller turns each page into CSV before it asks for the next, so its rows die young).
   */
  async *exportPages(
    caller: Caller,
    query: ListQuery,
  ): AsyncGenerator<CsvRow[]> {
    const filter = await this.filterOf(caller, query);
    let cursor: string | undefined = query.cursor;
    do {
      const page = await this.o.store.listExportRows({
        filter,
        ...(query.sort && {
          sort: { field: query.sort, order: query.order ?? 'desc' },
        }),
        limit: this.o.exportPageSize ?? EXPORT_PAGE,
        ...(cursor !== undefined && { cursor }),
      });
      yield page.items.map(t => csvRow(t, this.o.config.portalUrl));
      cursor = page.nextCursor;
    } while (cursor);
  }

  private async page(
    _caller: Caller,
    query: ListQuery,
    filter: TransferFilter,
  ): Promise<ListPage> {
    return this.o.store.list({
      filter,
      ...(query.sort && {
        sort: { field: query.sort, order: query.order ?? 'desc' },
      }),
      ...(query.limit !== undefined && { limit: query.limit }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    });
  }

  private async filterOf(
    caller: Caller,
    q: StateCountsQuery & Pick<ListQuery, 'state'>,
  ): Promise<TransferFilter> {
    const visible = await this.o.access.visibility(caller);
    const time = (s?: string) => (s === undefined ? undefined : new Date(s));
    const filter: TransferFilter = {
      ...(q.state && { state: q.state }),
      ...(q.cluster && { cluster: q.cluster }),
      ...(q.namespace && { namespace: q.namespace }),
      ...(q.requester && { requester: q.requester }),
      ...(q.approver && { approver: q.approver }),
      ...(q.entityRef && { entityRefs: [q.entityRef] }),
      ...(q.createdAfter && { createdAfter: time(q.createdAfter) }),
      ...(q.createdBefore && { createdBefore: time(q.createdBefore) }),
      ...(q.requestedVia && { requestedVia: q.requestedVia }),
      ...(visible && { visibleTo: visible }),
    };
    if (
      filter.createdAfter &&
      filter.createdBefore &&
      !(filter.createdAfter < filter.createdBefore)
    )
      throw new InputError('createdAfter must come before createdBefore');
    return filter;
  }

  /** The transfer, or a 404 for one that does not exist or that the caller may not read (the same answer). */
  private async readable(caller: Caller, id: string): Promise<Transfer> {
    const transfer = await this.o.store.get(id).catch(e => {
      if (e instanceof NotFoundError || (e as Error)?.name === 'NotFoundError')
        throw new NotFoundError(`no transfer ${id}`);
      throw e;
    });
    const read = await this.o.access.may('read', transfer, caller);
    if (!read.allowed) throw new NotFoundError(`no transfer ${id}`);
    return transfer;
  }

  private async requested(
    transfer: Transfer,
    caller: Caller,
    comment?: string,
  ) {
    await this.o.notices.stateChanged(transfer, {
      from: 'pending-approval',
      action: 'request',
      actor: caller.userRef,
      ...(comment && { comment }),
    });
  }

  /** The transfers as the caller sees them, each with what the caller may do to it now (one judge for all). */
  private async views(
    caller: Caller,
    transfers: Transfer[],
  ): Promise<TransferView[]> {
    const judge = await this.o.access.judge(caller, transfers);
    const ctx = this.context(caller.userRef ?? '');
    return transfers.map(t =>
      transferView(
        t,
        this.o.config.portalUrl,
        caller.userRef ? allowedActions(t, judge, ctx) : [],
      ),
    );
  }

  private context(actor: string): ActionContext {
    return {
      actor,
      now: this.now(),
      requiredApprovals: this.o.config.requiredApprovals,
    };
  }
}

function requireUser(caller: Caller): string {
  if (!caller.userRef)
    throw new NotAllowedError(
      'transfers are requested and decided by users: sign in as a user, not as a service',
    );
  return caller.userRef;
}
