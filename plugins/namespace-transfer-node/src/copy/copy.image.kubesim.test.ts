/**
 * The copy flows in the mover image as deploy/images/mover/Containerfile builds it: on this world's
 * cluster, containers of the engine's default image see only the executables of the Containerfile's
 * packages (as this Debian host's dpkg installed them), with PATH limited to their directories. A pod
 * script that calls any other command fails here as it would in the image.
 */
import { join } from 'node:path';
import { CoreV1Api, Watch, type KubeConfig } from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import { startClusters, type SimWorld } from 'kube-sim';
import { gatherFacts } from '../gather';
import { followLog, pollUntil } from '../kube';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../naming';
import { planTransfer } from '../plan';
import { moverImagePackages } from '../testing/moverImage';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  ensureStorageClass,
  restrictedPod,
  transferLeftovers,
  volumeDir,
} from '../testing/kubesim';
import {
  buildTree,
  chownTree,
  diffTrees,
  scanTree,
  type DiffOptions,
} from '../testing/trees';
import { runCopy } from './run';
import { DEFAULT_IMAGE } from './types';

jest.setTimeout(300_000);

const APP_UID = 1001;
const PACKAGES = moverImagePackages(
  join(
    __dirname,
    '..',
    '..',
    '..',
    '..',
    'deploy',
    'images',
    'mover',
    'Containerfile',
  ),
);
/** an image like the mover's that lacks awk: its sampled verification cannot pick files */
const WITHOUT_AWK = 'registry.example/mover-without-awk:test';
/** one that lacks stunnel: the server pod's TLS sidecar cannot start */
const WITHOUT_STUNNEL = 'registry.example/mover-without-stunnel:test';
/** what a shell (dash) or a container runtime says of a command the image lacks */
const MISSING_COMMAND = /: not found$|executable file not found/m;

describe('copy flows in the mover image (only its Containerfile packages)', () => {
  let world: SimWorld;
  let kc: KubeConfig;
  let srcDir: string;
  /** the image of every container of every mover pod the engine made */
  const moverImages = new Set<string>();
  /** the whole log of each of those containers, by namespace/pod/container */
  const moverLogs = new Map<string, string>();
  const following = new AbortController();
  const followers: Array<Promise<void>> = [];
  let stopWatch: () => void = () => undefined;

  // A script may go on after a command is missing (a pipeline's last stage, a sample that comes out
  // empty) and the run still succeed: the logs tell, so they are followed from each container's start.
  function follow(namespace: string, pod: string, container: string) {
    const key = `${namespace}/${pod}/${container}`;
    if (moverLogs.has(key)) return;
    moverLogs.set(key, '');
    const { done } = followLog(
      kc,
      { namespace, pod, container, signal: following.signal, retryMs: 200 },
      text => moverLogs.set(key, moverLogs.get(key) + text),
    );
    followers.push(done);
  }

  beforeAll(async () => {
    world = await startClusters([
      {
        name: 'east',
        images: {
          [DEFAULT_IMAGE]: { packages: PACKAGES },
          [WITHOUT_AWK]: { packages: PACKAGES.filter(p => p !== 'mawk') },
          [WITHOUT_STUNNEL]: {
            packages: PACKAGES.filter(p => p !== 'stunnel4'),
          },
        },
      },
    ]);
    kc = world.cluster('east').kubeConfig();
    await ensureStorageClass(kc, 'fast');
    for (const ns of [
      'app',
      'viarsync',
      'viarclone',
      'probe',
      'noawk',
      'nostunnel',
    ])
      await ensureNamespace(kc, ns, {
        'pod-security.kubernetes.io/enforce': 'restricted',
      });
    srcDir = await createBoundPvc(kc, 'app', 'vol', 'fast');
    buildTree(srcDir, { smallFiles: 60, sparseBytes: 4 * 1024 * 1024 });
    chownTree(srcDir, APP_UID, APP_UID);
    await createWorkload(kc, 'app', 'web', 'vol', APP_UID, 1);
    const watch = await new Watch(kc).watch(
      '/api/v1/pods',
      { labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY}` },
      (_type, pod) => {
        for (const c of [
          ...(pod.spec?.initContainers ?? []),
          ...pod.spec.containers,
        ]) {
          moverImages.add(c.image);
          follow(pod.metadata.namespace, pod.metadata.name, c.name);
        }
      },
      () => undefined,
    );
    stopWatch = () => watch.abort();
  });

  afterAll(async () => {
    following.abort();
    stopWatch();
    await Promise.all(followers);
    await world?.stop();
  });

  async function copy(
    id: string,
    namespace: string,
    options: TransferSpec['options'],
  ) {
    const spec: TransferSpec = {
      id,
      source: { cluster: 'east', namespace: 'app', name: 'vol' },
      destination: { cluster: 'east', namespace, name: 'vol' },
      mode: 'copy',
      intent: 'clone',
      options,
    };
    const facts = await gatherFacts({ spec, source: kc, destination: kc });
    const plan = planTransfer(facts);
    expect(plan.refusals).toEqual([]);
    const result = await runCopy({
      spec,
      plan,
      source: kc,
      destination: kc,
      sourcePodSpecs: facts.sourceWorkloads.flatMap(w =>
        w.podSpec ? [w.podSpec] : [],
      ),
    });
    return { plan, result };
  }

  /** differences by content checksum, type and link target (and whatever `opts` leaves on) */
  const differences = async (namespace: string, opts: DiffOptions) => {
    const strip = (m: ReturnType<typeof scanTree>) => {
      for (const k of [...m.keys()])
        if (k.startsWith('lost+found')) m.delete(k);
      return m;
    };
    return diffTrees(
      strip(scanTree(srcDir)),
      strip(scanTree(await volumeDir(kc, namespace, 'vol'))),
      opts,
    );
  };

  it('the image here lacks what the host has beyond its packages', async () => {
    // the list really came out of the Containerfile: package names only, the movers among them
    for (const p of PACKAGES) expect(p).toMatch(/^[a-z0-9][a-z0-9+.-]+$/);
    expect(PACKAGES).toEqual(
      expect.arrayContaining(['dash', 'rsync', 'stunnel4', 'rclone']),
    );
    // control: these are on this host, so their absence in the pod is the image's restriction
    const hostOnly = ['bash', 'gawk', 'openssl', 'node'];
    const core = kc.makeApiClient(CoreV1Api);
    const pod = restrictedPod('probe', [
      '/bin/sh',
      '-c',
      `echo "PATH=$PATH"; for c in ${hostOnly.join(' ')}; do command -v $c || echo "no $c"; done`,
    ]);
    pod.spec!.containers[0].image = DEFAULT_IMAGE;
    await core.createNamespacedPod({ namespace: 'probe', body: pod });
    await pollUntil(
      async () => {
        const p = await core.readNamespacedPod({
          name: 'probe',
          namespace: 'probe',
        });
        return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed'
          ? p
          : undefined;
      },
      { timeoutMs: 60_000, what: 'the probe pod to finish' },
    );
    const log = await core.readNamespacedPodLog({
      name: 'probe',
      namespace: 'probe',
    });
    expect(log).toBe(
      `PATH=/usr/sbin:/usr/bin:/bin\n${hostOnly.map(c => `no ${c}\n`).join('')}`,
    );
  });

  it('rsync behind stunnel: staged, final and sampled verification, data checked by checksums', async () => {
    const { plan, result } = await copy('img-rsync', 'viarsync', {
      verify: 'sample',
      verifySampleRatio: 0.5,
    });
    expect(plan).toMatchObject({ mover: 'rsync', transport: 'stunnel' });
    expect(result.syncs.map(s => [s.run, s.result.ok])).toEqual([
      ['stage-1', true],
      ['final', true],
      ['verify', true],
    ]);
    expect(await differences('viarsync', {})).toEqual([]);
    expect(await transferLeftovers(kc, 'app', 'img-rsync')).toEqual([]);
    expect(await transferLeftovers(kc, 'viarsync', 'img-rsync')).toEqual([]);
  });

  it('rclone with its own TLS: data checked by checksums', async () => {
    const { plan, result } = await copy('img-rclone', 'viarclone', {
      mover: 'rclone',
      stage: false,
    });
    expect(plan).toMatchObject({ mover: 'rclone', transport: 'null' });
    expect(result.syncs.map(s => [s.run, s.result.ok])).toEqual([
      ['final', true],
      ['verify', true],
    ]);
    // WebDAV carries content, types and link targets only
    expect(
      await differences('viarclone', {
        modes: false,
        times: false,
        links: false,
        sparse: false,
      }),
    ).toEqual([]);
    expect(await transferLeftovers(kc, 'app', 'img-rclone')).toEqual([]);
    expect(await transferLeftovers(kc, 'viarclone', 'img-rclone')).toEqual([]);
  });

  it('ran every mover container in that image, and none of them missed a command', () => {
    expect([...moverImages]).toEqual([DEFAULT_IMAGE]);
    // server and client pods of both copies: rsync daemon, stunnel (twice), rsync client, rclone (twice)
    expect(moverLogs.size).toBeGreaterThanOrEqual(6);
    const missing = [...moverLogs].flatMap(([key, log]) =>
      log
        .split('\n')
        .filter(line => MISSING_COMMAND.test(line))
        .map(line => `${key}: ${line}`),
    );
    expect(missing).toEqual([]);
  });

  // Runs last: its image is not the default one, and its logs do miss a command.
  it('a sampled verification that cannot sample fails the copy instead of passing with nothing checked', async () => {
    const attempt = copy('img-noawk', 'noawk', {
      verify: 'sample',
      verifySampleRatio: 0.5,
      stage: false,
      image: WITHOUT_AWK,
    });
    await expect(attempt).rejects.toThrow(
      /verification of module \S+ failed with awk exit code 127/,
    );
    // the missing command was really what failed it
    const noAwk = [...moverLogs]
      .filter(([key]) => key.startsWith('app/') || key.startsWith('noawk/'))
      .some(([, log]) => /awk: not found/.test(log));
    expect(noAwk).toBe(true);
    // rolled back before the point of no return: no copy kept, the application back
    expect(await transferLeftovers(kc, 'app', 'img-noawk')).toEqual([]);
    expect(await transferLeftovers(kc, 'noawk', 'img-noawk')).toEqual([]);
    const core = kc.makeApiClient(CoreV1Api);
    const claims = await core.listNamespacedPersistentVolumeClaim({
      namespace: 'noawk',
    });
    expect(claims.items.map(c => c.metadata?.name)).toEqual([]);
  });

  it('a mover pod whose image lacks a command fails the copy with the runtime’s words, not a timeout', async () => {
    const attempt = copy('img-nostunnel', 'nostunnel', {
      stage: false,
      image: WITHOUT_STUNNEL,
    });
    // without the check the copy would wait out the two minutes for Ready and say only that
    await expect(attempt).rejects.toThrow(
      /server pod nostunnel\/\S+ cannot start: container stunnel: StartError: .*stunnel.*/,
    );
    expect(await transferLeftovers(kc, 'app', 'img-nostunnel')).toEqual([]);
    expect(await transferLeftovers(kc, 'nostunnel', 'img-nostunnel')).toEqual(
      [],
    );
  });
});
