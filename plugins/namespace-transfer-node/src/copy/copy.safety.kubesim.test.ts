/**
 * Copy never loses both copies. A move (with the source claim deleted on request, the most dangerous
 * path) crashed after every step resumes to the end; a failure injected into every step that writes
 * (scoped to the engine's identity, so kube-sim's own controllers are untouched) leaves, before the point
 * of no return, the source data, claim and workload as they were and nothing of ours behind; after it,
 * the verified destination stays, the source stays stopped, and a resume finishes the clean-up. No
 * checkpoint or event carries key material.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type {
  TransferCheckpoint,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  startClusters,
  type FaultHandle,
  type FaultRule,
  type SimWorld,
} from 'kube-sim';
import { gatherFacts } from '../gather';
import { pollUntil, waitForPods } from '../kube';
import { TRANSFERRED_BY, TRANSFERRED_TO } from '../naming';
import { planTransfer } from '../plan';
import { QUIESCED_BY } from '../quiesce';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  transferLeftovers,
  volumeDir,
} from '../testing/kubesim';
import { buildTree, chownTree, diffTrees, scanTree } from '../testing/trees';
import { runCopy, type CopyEvent } from '.';

jest.setTimeout(600_000);

/** The engine's identity: setup and checks use the admin's, kube-sim's controllers their own. */
const ENGINE = 'namespace-transfer-engine';
const APP_UID = 1001;

/** Every step of a staged move that deletes its source, in order. */
const MOVE_STEPS = [
  'provision-destination',
  'expose',
  'credentials',
  'server',
  'sync-stage-1',
  'quiesce',
  'sync-final',
  'verify',
  'downtime',
  'finalize',
  'delete-source',
  'cleanup',
];
const POINT_OF_NO_RETURN = 'finalize';

describe('copy never loses both copies (kube-sim)', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let engine: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    engine = world.cluster('east').userKubeConfig({
      username: ENGINE,
      groups: ['system:masters'],
    });
    core = kc.makeApiClient(CoreV1Api);
    await ensureStorageClass(kc, 'fast');
  });

  afterAll(async () => {
    await world?.stop();
  });

  const spec = (ns: string): TransferSpec => ({
    id: ns,
    source: { cluster: 'east', namespace: ns, name: 'data' },
    destination: { cluster: 'east', namespace: `${ns}-to`, name: 'data' },
    mode: 'copy',
    intent: 'move',
    options: { deleteSource: true, endpoint: 'clusterip' },
  });

  const withoutLostFound = (m: ReturnType<typeof scanTree>) => {
    for (const k of [...m.keys()]) if (k.startsWith('lost+found')) m.delete(k);
    return m;
  };

  /** a claim with a small tree and a running Deployment, in a namespace of its own */
  async function setup(ns: string) {
    await ensureNamespace(kc, ns);
    await ensureNamespace(kc, `${ns}-to`);
    const dir = await createBoundPvc(kc, ns, 'data', 'fast');
    buildTree(dir, {
      smallFiles: 20,
      sparseBytes: 1024 * 1024,
      largeBytes: 64 * 1024,
    });
    chownTree(dir, APP_UID, APP_UID);
    await createWorkload(kc, ns, 'web', 'data', APP_UID, 1);
    // the picture of the source is taken once the application runs: its fsGroup has been applied
    await waitForPods(
      kc,
      ns,
      pods =>
        pods.some(p => p.status?.phase === 'Running') ? true : undefined,
      { labelSelector: 'app=web', timeoutMs: 60_000, what: `web in ${ns}` },
    );
    return { tree: withoutLostFound(scanTree(dir)) };
  }

  async function copyOptions(ns: string) {
    const s = spec(ns);
    const facts = await gatherFacts({
      spec: s,
      source: engine,
      destination: engine,
    });
    const plan = planTransfer(facts);
    expect(plan.refusals).toEqual([]);
    return {
      spec: s,
      plan,
      source: engine,
      destination: engine,
      sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
        w.podSpec ? [w.podSpec] : [],
      ),
    };
  }

  const web = async (ns: string) =>
    kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: ns });

  /** before the point of no return: everything as it was, nothing of ours in either namespace */
  async function expectUntouched(
    ns: string,
    tree: ReturnType<typeof scanTree>,
  ) {
    const src = await core.readNamespacedPersistentVolumeClaim({
      namespace: ns,
      name: 'data',
    });
    expect(src.status?.phase).toBe('Bound');
    expect(src.metadata?.annotations?.[TRANSFERRED_TO]).toBeUndefined();
    expect(src.metadata?.annotations?.[TRANSFERRED_BY]).toBeUndefined();
    expect(
      diffTrees(
        tree,
        withoutLostFound(scanTree(await volumeDir(kc, ns, 'data'))),
      ),
    ).toEqual([]);
    const w = await web(ns);
    expect(w.spec?.replicas).toBe(1);
    expect(w.metadata?.annotations?.[QUIESCED_BY]).toBeUndefined();
    await nothingLeft(ns, []);
  }

  /** deletions finish asynchronously (finalizers, terminating pods): wait for them, then compare */
  async function nothingLeft(ns: string, destination: string[]) {
    const left = async () => [
      ...(await transferLeftovers(kc, `${ns}-to`, ns, { pvcs: true })),
      ...(await transferLeftovers(kc, ns, ns, { pvcs: true })),
    ];
    await pollUntil(
      async () =>
        JSON.stringify(await left()) === JSON.stringify(destination)
          ? true
          : undefined,
      { timeoutMs: 60_000, what: `only ${destination} left of ${ns}` },
    ).catch(() => undefined);
    expect(await left()).toEqual(destination);
  }

  /** after it: the verified copy complete, the source application still stopped */
  async function expectCommitted(
    ns: string,
    tree: ReturnType<typeof scanTree>,
  ) {
    expect(
      diffTrees(
        tree,
        withoutLostFound(scanTree(await volumeDir(kc, `${ns}-to`, 'data'))),
      ),
    ).toEqual([]);
    const w = await web(ns);
    expect(w.spec?.replicas).toBe(0);
    expect(w.metadata?.annotations?.[QUIESCED_BY]).toBe(ns);
  }

  /** the end of a move: source claim gone, nothing of ours but the destination claim */
  async function expectMoved(ns: string, tree: ReturnType<typeof scanTree>) {
    await expectCommitted(ns, tree);
    await nothingLeft(ns, ['data']);
    await pollUntil(
      () =>
        core
          .readNamespacedPersistentVolumeClaim({ namespace: ns, name: 'data' })
          .then(
            () => undefined,
            e => (e?.code === 404 ? true : undefined),
          ),
      { timeoutMs: 60_000, what: `source claim ${ns}/data to go` },
    );
  }

  it.each(MOVE_STEPS.map((s, i) => [s, i] as const))(
    'a crash after %s: a new run from the checkpoint completes the move',
    async (stepName, i) => {
      const ns = `crash-${i}`;
      const { tree } = await setup(ns);
      const o = await copyOptions(ns);
      let saved: TransferCheckpoint | undefined;
      let crashed = false;
      // the "process" stops right after the checkpoint of this step: nothing of it runs any more
      void runCopy({
        ...o,
        onCheckpoint: c => {
          saved = c;
          if (!c.completedSteps.includes(stepName)) return undefined;
          crashed = true;
          return new Promise<void>(() => {});
        },
      });
      await new Promise<void>(function wait(resolve) {
        if (crashed) resolve();
        else setTimeout(() => wait(resolve), 50);
      });
      if (
        MOVE_STEPS.indexOf(stepName) >= MOVE_STEPS.indexOf(POINT_OF_NO_RETURN)
      )
        await expectCommitted(ns, tree);
      const result = await runCopy({ ...o, checkpoint: saved });
      expect(result.checkpoint.completedSteps).toEqual(MOVE_STEPS);
      await expectMoved(ns, tree);
    },
  );

  // the first write of each step, failed once with a non-retryable error just before the step runs;
  // `verify` (the comparison ran inside the final sync's pod) and `downtime` make no request of their own
  const faults: Array<[string, (ns: string) => FaultRule]> = [
    [
      'provision-destination',
      ns => ({
        verb: 'create',
        resource: 'persistentvolumeclaims',
        namespace: `${ns}-to`,
      }),
    ],
    [
      'expose',
      ns => ({ verb: 'create', resource: 'services', namespace: `${ns}-to` }),
    ],
    [
      'credentials',
      ns => ({ verb: 'create', resource: 'secrets', namespace: `${ns}-to` }),
    ],
    [
      'server',
      ns => ({ verb: 'create', resource: 'pods', namespace: `${ns}-to` }),
    ],
    [
      'sync-stage-1',
      ns => ({ verb: 'create', resource: 'pods', namespace: ns }),
    ],
    [
      'quiesce',
      ns => ({ verb: 'update', resource: 'deployments', namespace: ns }),
    ],
    ['sync-final', ns => ({ verb: 'create', resource: 'pods', namespace: ns })],
    [
      'finalize',
      ns => ({
        verb: 'update',
        resource: 'persistentvolumeclaims',
        namespace: ns,
      }),
    ],
    [
      'delete-source',
      ns => ({
        verb: 'delete',
        resource: 'persistentvolumeclaims',
        namespace: ns,
        name: 'data',
      }),
    ],
    ['cleanup', ns => ({ verb: 'list', resource: 'secrets', namespace: ns })],
  ];

  /** Runs the move with the step's first write failing once (403, scoped to the engine's identity). */
  async function failIn(
    stepName: string,
    fault: (ns: string) => FaultRule,
    i: number,
  ) {
    const ns = `fail-${i}`;
    const { tree } = await setup(ns);
    const o = await copyOptions(ns);
    const before = MOVE_STEPS[MOVE_STEPS.indexOf(stepName) - 1];
    const checkpoints: TransferCheckpoint[] = [];
    const events: CopyEvent[] = [];
    const rule: FaultRule = {
      ...fault(ns),
      user: ENGINE,
      status: 403,
      count: 1,
    };
    const injector = world.cluster('east').apiServer.faults;
    let handle: FaultHandle | undefined = before
      ? undefined
      : injector.add(rule);
    const err = await runCopy({
      ...o,
      onEvent: e => events.push(e),
      onCheckpoint: c => {
        checkpoints.push(c);
        if (before && c.completedSteps.at(-1) === before)
          handle = injector.add(rule);
      },
    }).catch(e => e);
    // the engine's own request failed, in this step
    expect(handle?.hits).toBe(1);
    expect(err).toBeInstanceOf(Error);
    expect(String(err)).toMatch(/403|Forbidden/);
    const failed = checkpoints.at(-1);
    expect(failed?.completedSteps.at(-1)).toBe(before);
    const rolledBack = events.some(
      e => e.type === 'phase' && e.phase === 'RollingBack',
    );
    return { ns, tree, o, failed, rolledBack };
  }

  const noReturn = MOVE_STEPS.indexOf(POINT_OF_NO_RETURN);
  const numbered = faults.map(([s, f], i) => [s, f, i] as const);

  it.each(numbered.filter(([s]) => MOVE_STEPS.indexOf(s) <= noReturn))(
    'a failure in %s, up to the point of no return, rolls back to the untouched source',
    async (stepName, fault, i) => {
      const { ns, tree, rolledBack } = await failIn(stepName, fault, i);
      expect(rolledBack).toBe(true);
      await expectUntouched(ns, tree);
    },
  );

  it.each(numbered.filter(([s]) => MOVE_STEPS.indexOf(s) > noReturn))(
    'a failure in %s, after the point of no return, keeps the verified copy for a resume that finishes',
    async (stepName, fault, i) => {
      const { ns, tree, o, failed, rolledBack } = await failIn(
        stepName,
        fault,
        i,
      );
      expect(rolledBack).toBe(false);
      await expectCommitted(ns, tree);
      // no clean-up passed the key material for gone (a 403 on listing Secrets fails the clean-up)
      expect(await transferLeftovers(kc, ns, ns)).toContain(`nst-${ns}-client`);
      const resumed = await runCopy({ ...o, checkpoint: failed! });
      expect(resumed.checkpoint.completedSteps).toEqual(MOVE_STEPS);
      await expectMoved(ns, tree);
    },
  );

  it('no checkpoint or event carries key material', async () => {
    const ns = 'secrets-0';
    await setup(ns);
    const o = await copyOptions(ns);
    const reported: unknown[] = [];
    let password: string | undefined;
    let keys: string[] = [];
    await runCopy({
      ...o,
      onEvent: e => reported.push(e),
      onCheckpoint: async c => {
        reported.push(c);
        if (c.completedSteps.at(-1) !== 'credentials') return;
        const client = await core.readNamespacedSecret({
          namespace: ns,
          name: `nst-${ns}-client`,
        });
        const server = await core.readNamespacedSecret({
          namespace: `${ns}-to`,
          name: `nst-${ns}-server`,
        });
        const dec = (v?: string) => Buffer.from(v ?? '', 'base64').toString();
        password = dec(client.data?.['rsync.password']).trim();
        keys = [
          ...Object.values(client.data ?? {}),
          ...Object.values(server.data ?? {}),
        ]
          .map(dec)
          .filter(v => v.includes('PRIVATE KEY'));
      },
    });
    expect(password).toBeTruthy();
    expect(keys.length).toBeGreaterThan(0);
    const text = JSON.stringify(reported);
    expect(text).not.toContain(password);
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const k of keys)
      expect(text).not.toContain(k.split('\n').slice(1, 2).join(''));
  });
});
