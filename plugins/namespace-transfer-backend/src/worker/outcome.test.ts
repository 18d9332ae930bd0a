import { KubeConfig } from '@kubernetes/client-node';
import type { Transfer } from '../store';
import { newTransfer, realisticPlan } from '../store/__testUtils__/transfers';
import { runOptionsOf, specOf } from './engine';
import { readWorkerConfig } from './config';
import { ConfigReader } from '@backstage/config';
import { runEnd } from './outcome';
import { result, testWorkerConfig } from './__testUtils__/fakeEngine';

const NOW = new Date('2026-12-02T09:13:00Z'); // a Wednesday

function transfer(over: Partial<Transfer> = {}): Transfer {
  return {
    ...newTransfer(),
    id: 't1',
    requestedVia: 'portal',
    state: 'running',
    cancelRequested: false,
    pastPointOfNoReturn: false,
    leftForResume: false,
    approvedBy: ['user:default/bob'],
    progress: {},
    attempt: 1,
    engineTransferId: 'e1',
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

const facts = (t = transfer(), cancelRequested = false) => ({
  transfer: t,
  cancelRequested,
  now: NOW,
  windows: [],
});

describe('runEnd', () => {
  it.each([
    ['succeeded', 'succeed'],
    ['failed', 'fail'],
    ['refused', 'fail'],
    ['plan-changed', 'ask-again'],
    ['staged', 'stage'],
  ] as const)('%s → %s', (outcome, action) => {
    expect(runEnd(result({ outcome }), facts())).toMatchObject({
      kind: 'finish',
      action,
    });
  });

  it('rolls back a cancelled run only when a cancel was recorded', () => {
    expect(
      runEnd(result({ outcome: 'cancelled' }), facts(transfer(), true)),
    ).toMatchObject({ action: 'roll-back' });
    expect(runEnd(result({ outcome: 'cancelled' }), facts())).toMatchObject({
      action: 'fail',
      outcome: { error: expect.stringMatching(/no cancel was recorded/) },
    });
  });

  it('fails a run that gave its volume back as a retryable failure, clearing the stored point of no return', () => {
    const stuck = runEnd(
      result({
        outcome: 'failed',
        error: 'create-destination: 403',
        pastPointOfNoReturn: true,
      }),
      facts(transfer({ pastPointOfNoReturn: true })),
    );
    expect(stuck).toEqual({
      kind: 'finish',
      action: 'fail',
      outcome: {
        error: 'create-destination: 403',
        details: { pastPointOfNoReturn: true },
      },
      set: {},
    });
    const givenBack = runEnd(
      result({
        outcome: 'failed',
        error: 'create-destination: 403',
        pastPointOfNoReturn: false,
        givenBack: true,
      }),
      facts(transfer({ pastPointOfNoReturn: true })),
    );
    expect(givenBack).toEqual({
      kind: 'finish',
      action: 'fail',
      outcome: {
        error: 'create-destination: 403',
        details: { pastPointOfNoReturn: false, givenBack: true },
      },
      set: { givenBack: true },
    });
    const leftForResume = runEnd(
      result({
        outcome: 'failed',
        error: 'cluster east did not answer within the outage budget',
        pastPointOfNoReturn: false,
        leftForResume: true,
      }),
      facts(),
    );
    expect(leftForResume).toEqual({
      kind: 'finish',
      action: 'fail',
      outcome: {
        error: 'cluster east did not answer within the outage budget',
        details: { pastPointOfNoReturn: false, leftForResume: true },
      },
      set: { leftForResume: true },
    });
  });

  it('hands over without a move of the state machine', () => {
    expect(runEnd(result({ outcome: 'handed-over' }), facts())).toEqual({
      kind: 'hand-over',
    });
  });

  it('keeps the error, the downtime and the fresh plan', () => {
    expect(
      runEnd(
        result({
          outcome: 'failed',
          error: 'sync: exit 23',
          pastPointOfNoReturn: true,
        }),
        facts(),
      ),
    ).toMatchObject({
      outcome: {
        error: 'sync: exit 23',
        details: { pastPointOfNoReturn: true },
      },
    });
    expect(
      runEnd(result({ outcome: 'succeeded', downtimeMs: 900 }), facts()),
    ).toMatchObject({ outcome: { downtimeMs: 900 } });
    const plan = realisticPlan('other');
    expect(
      runEnd(
        result({ outcome: 'plan-changed', plan, planChanges: ['x'] }),
        facts(),
      ),
    ).toMatchObject({
      set: { plan },
      outcome: { details: { planChanges: ['x'] } },
    });
  });

  it('moves a requested cut over time into the next maintenance window', () => {
    const windows = readWorkerConfig(
      new ConfigReader({
        namespaceTransfer: {
          maintenanceWindows: [{ days: ['sat'], start: '02:00', end: '04:00' }],
        },
      }),
    ).maintenanceWindows;
    const at = new Date('2026-12-03T12:00:00Z');
    expect(
      runEnd(result({ outcome: 'staged' }), {
        ...facts(transfer({ cutoverAt: at })),
        windows,
      }),
    ).toMatchObject({ set: { cutoverAt: new Date('2026-12-05T02:00:00Z') } });
    // a time already past counts from now
    expect(
      runEnd(result({ outcome: 'staged' }), {
        ...facts(transfer({ cutoverAt: new Date('2026-11-28T03:00:00Z') })),
        windows,
      }),
    ).toMatchObject({ set: { cutoverAt: new Date('2026-12-05T02:00:00Z') } });
    // no time: waits for a person's cut over
    expect(
      runEnd(result({ outcome: 'staged' }), { ...facts(), windows }),
    ).toMatchObject({ set: {} });
  });
});

describe('runOptionsOf', () => {
  const kc = new KubeConfig();
  const opts = (t: Transfer) =>
    runOptionsOf({
      transfer: t,
      kubeConfig: () => kc,
      config: testWorkerConfig({
        engine: {
          image: 'ops/mover:2',
          moverResources: { requests: { cpu: '1' } },
          ingressDomain: 'apps.example.com',
        },
      }),
      now: NOW,
    });

  it('plans a first run against the approved plan, with the operator’s image whatever the request says', () => {
    const t = transfer({ options: { image: 'evil/mover', verify: 'full' } });
    const o = opts(t);
    expect(o).toMatchObject({
      approvedPlan: t.plan,
      image: 'ops/mover:2',
      moverResources: { requests: { cpu: '1' } },
      ingressDomain: 'apps.example.com',
    });
    expect(o.checkpoint).toBeUndefined();
    expect(specOf(t).options).toEqual({ verify: 'full' });
  });

  it('gives the destination claim the labels the workflow stored for its entity', () => {
    const t = transfer({
      options: {
        verify: 'full',
        destinationLabels: { 'backstage.io/kubernetes-id': 'shop-next' },
      } as Transfer['options'],
    });
    expect(specOf(t)).toMatchObject({
      id: 'e1',
      destination: { labels: { 'backstage.io/kubernetes-id': 'shop-next' } },
      options: { verify: 'full' },
    });
    expect(specOf(t).options).not.toHaveProperty('destinationLabels');
  });

  it('resumes from the checkpoint with the plan the run went by', () => {
    const checkpoint = {
      transferId: 'e1',
      version: 1 as const,
      phase: 'Syncing' as const,
      completedSteps: ['provision'],
      state: {},
      updatedAt: NOW.toISOString(),
    };
    const t = transfer({ checkpoint });
    expect(opts(t)).toMatchObject({ checkpoint, plan: t.plan });
    expect(opts(t).approvedPlan).toBeUndefined();
  });

  it('stops at staged until the cut over is due', () => {
    expect(opts(transfer({ options: { stage: true } })).until).toBe('staged');
    expect(
      opts(
        transfer({ options: {}, cutoverAt: new Date(NOW.getTime() + 60_000) }),
      ).until,
    ).toBe('staged');
    expect(
      opts(transfer({ cutoverAt: new Date(NOW.getTime() - 60_000) })).until,
    ).toBeUndefined();
    expect(opts(transfer({ options: {} })).until).toBeUndefined();
  });
});
