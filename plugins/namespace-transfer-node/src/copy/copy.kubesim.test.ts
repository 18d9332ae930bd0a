/**
 * The copy flow end to end on kube-sim: real pods (rsync daemon + stunnel, stunnel + rsync client) move a
 * real tree between PVCs, within one cluster over a ClusterIP Service and across clusters over a Route.
 */
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type {
  ProgressSample,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type SimWorld } from 'kube-sim';
import { gatherFacts } from '../gather';
import { planTransfer } from '../plan';
import {
  buildTree,
  chownTree,
  diffTrees,
  HOSTILE_NAMES,
  scanTree,
} from '../testing/trees';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  volumeDir,
  refusedPlan,
  transferLeftovers,
} from '../testing/kubesim';
import { planAndCopy, runCopy, type CopyEvent } from '.';

jest.setTimeout(300_000);

const APP_UID = 1001;
// the destination's application runs as someone else: the copied files must end up theirs
const DST_APP_UID = 2002;

describe('copy flow on kube-sim', () => {
  let world: SimWorld;
  let srcDir: string;

  beforeAll(async () => {
    world = await startClusters([
      { name: 'east' },
      { name: 'west', openshift: true },
    ]);
    const east = world.cluster('east').kubeConfig();
    const west = world.cluster('west').kubeConfig();
    for (const kc of [east, west]) await ensureStorageClass(kc, 'fast');
    await ensureNamespace(east, 'shop', {
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    await ensureNamespace(east, 'shop2', {
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    await ensureNamespace(west, 'shop');
    srcDir = await createBoundPvc(east, 'shop', 'data', 'fast');
    buildTree(srcDir, {
      smallFiles: 400,
      sparseBytes: 64 * 1024 * 1024,
      largeBytes: 48 * 1024 * 1024,
    });
    chownTree(srcDir, APP_UID, APP_UID);
    await createWorkload(east, 'shop', 'web', 'data', APP_UID, 1);
    // waits, scaled to 0, for the claim the transfer creates
    await createWorkload(east, 'shop2', 'web', 'data', DST_APP_UID, 0);
  });

  afterAll(async () => {
    await world?.stop();
  });

  const compare = (dst: string, opts: { modes?: boolean } = {}) => {
    const a = scanTree(srcDir);
    const b = scanTree(dst);
    for (const m of [a, b])
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
    return diffTrees(a, b, opts);
  };

  async function transfer(spec: TransferSpec) {
    const kcs = {
      east: world.cluster('east').kubeConfig(),
      west: world.cluster('west').kubeConfig(),
    };
    const source = kcs[spec.source.cluster as 'east' | 'west'];
    const destination = kcs[spec.destination.cluster as 'east' | 'west'];
    const facts = await gatherFacts({ spec, source, destination });
    const plan = planTransfer(facts);
    expect(plan.refusals).toEqual([]);
    const events: CopyEvent[] = [];
    const result = await runCopy({
      spec,
      plan,
      source,
      destination,
      sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
        w.podSpec ? [w.podSpec] : [],
      ),
      onEvent: e => events.push(e),
    });
    return { plan, result, events, source, destination };
  }

  const leftovers = transferLeftovers;

  it('same cluster, other namespace: ClusterIP, stunnel, rsync; files owned by the destination workload identity', async () => {
    const spec: TransferSpec = {
      id: 'same-1',
      source: { cluster: 'east', namespace: 'shop', name: 'data' },
      destination: { cluster: 'east', namespace: 'shop2', name: 'data' },
      mode: 'copy',
      intent: 'clone',
    };
    const { plan, result, events, source } = await transfer(spec);
    expect(plan).toMatchObject({
      endpoint: 'clusterip',
      transport: 'stunnel',
      mover: 'rsync',
      identity: {
        source: 'destination-workload',
        runAsUser: DST_APP_UID,
        runAsGroup: DST_APP_UID,
        groupWritable: false,
      },
    });
    expect(result.syncs.map(s => [s.run, s.result.ok])).toEqual([
      ['stage-1', true],
      ['final', true],
      ['verify', true],
    ]);
    const dst = await volumeDir(source, 'shop2', 'data');
    expect(compare(dst)).toEqual([]);
    // permission repair: every path (symlinks included) belongs to the destination application, none
    // kept the source's owner
    const owners = new Set(
      [...scanTree(dst)]
        .filter(([p]) => !p.startsWith('lost+found'))
        .map(([, e]) => `${e.uid}:${e.gid}`),
    );
    expect([...owners]).toEqual([`${DST_APP_UID}:${DST_APP_UID}`]);
    // the tree really had what the issue lists, so compare() above covered it
    const tree = scanTree(dst);
    expect(tree.get('large.bin')!.size).toBe(48 * 1024 * 1024);
    expect(tree.get('hardlink')!.ino).toBe(tree.get('original')!.ino);
    expect(tree.get('sparse.img')!.blocks * 512).toBeLessThan(1024 * 1024);
    for (const name of HOSTILE_NAMES) expect(tree.get(name)?.type).toBe('file');
    const samples = events.flatMap(e =>
      e.type === 'progress' ? [e.sample as ProgressSample] : [],
    );
    expect(samples.length).toBeGreaterThan(0);
    expect(
      events
        .filter(e => e.type === 'phase')
        .map(e => (e as { phase: string }).phase),
    ).toEqual([
      'Provisioning',
      'Exposing',
      'Staging',
      'Quiescing',
      'Syncing',
      'Verifying',
      'Finalizing',
      'CleaningUp',
      'Succeeded',
    ]);
    expect(result.syncs.map(s => s.run)).toEqual([
      'stage-1',
      'final',
      'verify',
    ]);
    expect(result.verified).toMatchObject({ mode: 'full' });
    expect(result.downtimeMs).toBeGreaterThan(0);
    // a clone gives the application back, with the value recorded before the quiesce
    const web = await source
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    expect(web.spec!.replicas).toBe(1);
    expect(
      web.metadata!.annotations?.['namespace-transfer.io/quiesced-by'],
    ).toBeUndefined();
    expect(await leftovers(source, 'shop', spec.id)).toEqual([]);
    expect(await leftovers(source, 'shop2', spec.id)).toEqual([]);
  });

  it('across clusters: a passthrough Route on the OpenShift-flavoured destination, group-writable files', async () => {
    const spec: TransferSpec = {
      id: 'cross-1',
      source: { cluster: 'east', namespace: 'shop', name: 'data' },
      destination: { cluster: 'west', namespace: 'shop', name: 'data' },
      mode: 'copy',
      intent: 'move',
      options: { stage: false, verify: 'sample', verifySampleRatio: 0.5 },
    };
    const { plan, result, destination, source } = await transfer(spec);
    expect(plan).toMatchObject({
      endpoint: 'route',
      identity: { source: 'namespace-uid-range', groupWritable: true },
    });
    expect(result.syncs.map(s => [s.run, s.result.ok])).toEqual([
      ['final', true],
      ['verify', true],
    ]);
    // a move keeps the application stopped and marks the source with where its data went
    const web = await source
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    expect(web.spec!.replicas).toBe(0);
    expect(
      web.metadata!.annotations?.['namespace-transfer.io/quiesced-replicas'],
    ).toBe('1');
    const pvc = await source
      .makeApiClient(CoreV1Api)
      .readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'shop' });
    expect(
      pvc.metadata!.annotations?.['namespace-transfer.io/transferred-to'],
    ).toBe('west/shop/data');
    const dst = await volumeDir(destination, 'shop', 'data');
    expect(compare(dst, { modes: false })).toEqual([]);
    const { runAsUser: uid, runAsGroup: gid } = plan.identity!;
    // the namespace's allocated range, not the source's 1001
    expect(uid).not.toBe(APP_UID);
    const entries = [...scanTree(dst)]
      .filter(([path]) => !path.startsWith('lost+found'))
      .map(([, e]) => e);
    expect(entries.length).toBeGreaterThan(400);
    expect(entries.filter(e => e.uid !== uid || e.gid !== gid)).toEqual([]);
    expect(
      entries.filter(e => e.type !== 'symlink' && (e.mode & 0o060) !== 0o060),
    ).toEqual([]);
    expect(await leftovers(destination, 'shop', spec.id)).toEqual([]);

    // the moved application stays held by this move: a second transfer of the same claim is refused
    // in preflight, naming the move, and creates nothing
    const again: TransferSpec = {
      ...spec,
      id: 'cross-again',
      destination: { cluster: 'west', namespace: 'shop', name: 'again' },
    };
    const refused = await refusedPlan(
      planAndCopy({ spec: again, source, destination }),
    );
    expect(refused.refusals).toEqual([
      {
        code: 'SourceInTransfer',
        message: expect.stringContaining(
          'Deployment shop/web is held scaled down by transfer cross-1',
        ),
      },
    ]);
    expect(await leftovers(source, 'shop', again.id)).toEqual([]);
    expect(await leftovers(destination, 'shop', again.id)).toEqual([]);
    await expect(
      destination.makeApiClient(CoreV1Api).readNamespacedPersistentVolumeClaim({
        name: 'again',
        namespace: 'shop',
      }),
    ).rejects.toMatchObject({ code: 404 });
  });
});
