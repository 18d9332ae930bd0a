import type express from 'express';
import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  batchRequestSchema,
  bytesPerDayQuerySchema,
  decisionBodySchema,
  eventsQuerySchema,
  listQuerySchema,
  transferRequestSchema,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import type { Caller } from '../access/types';
import type { TransferWorkflow } from '../service';
import type { DecisionKind } from '../workflow/states';
import { audited } from './audit';
import { sendCsv } from './csv';
import { parse, readJsonBody, transferId } from './validate';

export interface TransferRoutesOptions {
  workflow: TransferWorkflow;
  httpAuth: HttpAuthService;
  auditor?: AuditorService;
  /** the rate limit of the routes that call the clusters (plan, create, destinations) */
  limit(credentials: BackstageCredentials, res: express.Response): void;
}

/** The list's filters, counted by state: paging, sorting and a state filter make no sense there. */
const stateCountsQuerySchema = listQuerySchema.omit({
  limit: true,
  cursor: true,
  sort: true,
  order: true,
  state: true,
});

/** The decisions, by the path segment that takes them (`POST /transfers/{id}/approve`). */
const DECISIONS: readonly DecisionKind[] = [
  'approve',
  'reject',
  'cancel',
  'retry',
  'resume',
  'cutover',
];

/**
 * The workflow's routes: HTTP in and out only. Each body and query is parsed with common's schemas (a 400
 * listing every problem); who may do what is the workflow's answer; every mutating route is audited,
 * refusals included.
 */
export function addTransferRoutes(
  router: express.Router,
  o: TransferRoutesOptions,
): void {
  const { workflow, httpAuth, auditor } = o;

  /** Users only: 401 without credentials, 403 for a service. */
  async function caller(
    req: express.Request,
    res: express.Response,
    limited = false,
  ): Promise<Caller> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    if (limited) o.limit(credentials, res);
    return workflow.caller(credentials);
  }

  router.post('/plans', async (req, res) => {
    const who = await caller(req, res, true);
    const body = parse(
      transferRequestSchema,
      await readJsonBody(req, res),
      'plan request',
    );
    res.json(await workflow.plan(who, body));
  });

  router.post('/transfers', async (req, res) => {
    const created = await audited(
      auditor,
      req,
      'transfer-request',
      { queryType: 'single' },
      async () => {
        const who = await caller(req, res, true);
        const body = parse(
          transferRequestSchema,
          await readJsonBody(req, res),
          'transfer request',
        );
        return workflow.create(who, body);
      },
      t => ({ transferId: t.id }),
    );
    res.status(201).json(created);
  });

  router.post('/batches', async (req, res) => {
    const created = await audited(
      auditor,
      req,
      'transfer-request',
      { queryType: 'batch' },
      async () => {
        const who = await caller(req, res, true);
        const body = parse(
          batchRequestSchema,
          await readJsonBody(req, res),
          'batch request',
        );
        return workflow.createBatch(who, body);
      },
      r => ({ batchId: r.batch.id, transferIds: r.transfers.map(t => t.id) }),
    );
    res.status(201).json(created);
  });

  router.get('/transfers', async (req, res) => {
    const who = await caller(req, res);
    res.json(
      await workflow.list(who, parse(listQuerySchema, req.query, 'query')),
    );
  });

  router.get('/transfers/export.csv', async (req, res) => {
    const who = await caller(req, res);
    const query = parse(listQuerySchema, req.query, 'query');
    const day = new Date().toISOString().slice(0, 10);
    await sendCsv(
      res,
      workflow.exportPages(who, query),
      `namespace-transfers-${day}.csv`,
    );
  });

  router.get('/approvals/pending', async (req, res) => {
    const who = await caller(req, res);
    res.json(
      await workflow.waitingForApproval(
        who,
        parse(listQuerySchema, req.query, 'query'),
      ),
    );
  });

  router.get('/transfers/:id', async (req, res) => {
    const who = await caller(req, res);
    res.json(await workflow.get(who, transferId(req.params.id)));
  });

  router.get('/transfers/:id/events', async (req, res) => {
    const who = await caller(req, res);
    const query = parse(eventsQuerySchema, req.query, 'query');
    res.json({
      events: await workflow.events(who, transferId(req.params.id), query),
    });
  });

  for (const kind of DECISIONS)
    router.post(`/transfers/:id/${kind}`, async (req, res) => {
      const transfer = await audited(
        auditor,
        req,
        'transfer-decision',
        { queryType: kind, transferId: req.params.id.slice(0, 80) },
        async () => {
          const who = await caller(req, res);
          const id = transferId(req.params.id);
          const body = parse(
            decisionBodySchema,
            await readJsonBody(req, res),
            `${kind} body`,
          );
          return workflow.decide(who, id, kind, body);
        },
        t => ({ state: t.state }),
      );
      res.json(transfer);
    });

  router.get('/destinations', async (req, res) => {
    const who = await caller(req, res, true);
    res.json(await workflow.destinations(who));
  });

  router.get('/me', async (req, res) => {
    const who = await caller(req, res);
    res.json(await workflow.me(who));
  });

  router.get('/stats/states', async (req, res) => {
    const who = await caller(req, res);
    const query = parse(stateCountsQuerySchema, req.query, 'query');
    res.json({ counts: await workflow.countsByState(who, query) });
  });

  router.get('/stats/transfers-per-day', async (req, res) => {
    const who = await caller(req, res);
    const q = parse(bytesPerDayQuerySchema, req.query, 'query');
    res.json({
      days: await workflow.transfersPerDay(who, {
        from: new Date(q.from),
        to: new Date(q.to),
      }),
    });
  });

  router.get('/stats/bytes-per-day', async (req, res) => {
    const who = await caller(req, res);
    const q = parse(bytesPerDayQuerySchema, req.query, 'query');
    res.json({
      days: await workflow.bytesMovedPerDay(who, {
        from: new Date(q.from),
        to: new Date(q.to),
      }),
    });
  });
}
