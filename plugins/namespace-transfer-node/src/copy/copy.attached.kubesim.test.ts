/**
 * kube-sim's node-side parts (kubelet, network, hostpath provisioner) attached to an API server they did
 * not start, as they would attach to a real control plane: a second kube-sim API server with its own
 * controller manager and scheduler plays the external cluster. That server refuses what a real one
 * refuses (core Endpoints with loopback addresses), and a copy runs end to end on it.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { TransferSpec } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  attachToCluster,
  startControllers,
  type AttachedParts,
} from 'kube-sim';
import {
  MASTER,
  startTestApiServer,
  type TestApiServer,
} from 'kube-sim/src/testing/apiServer';
import { gatherFacts } from '../gather';
import { planTransfer } from '../plan';
import {
  createBoundPvc,
  ensureNamespace,
  ensureStorageClass,
  transferLeftovers,
  volumeDir,
} from '../testing/kubesim';
import { runCopy } from '.';

jest.setTimeout(300_000);

/** sha256 of every file under dir, by relative path */
function checksums(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile())
        out.set(
          relative(dir, p),
          createHash('sha256').update(readFileSync(p)).digest('hex'),
        );
    }
  };
  walk(dir);
  return out;
}

describe('kube-sim attached to an external API server', () => {
  let server: TestApiServer;
  let controlPlane: { stop(): Promise<void> } | undefined;
  let parts: AttachedParts | undefined;
  let kc: KubeConfig;
  let dataDir: string;

  beforeAll(async () => {
    server = await startTestApiServer({
      name: 'external',
      rbac: true,
      tokens: {
        admin: MASTER,
        controllers: { ...MASTER, username: 'system:kube-controller-manager' },
        node: { ...MASTER, username: 'kube-sim-attached' },
      },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-attached-'));
    // the cluster's own kube-controller-manager and kube-scheduler, without the storage driver
    controlPlane = await startControllers({
      kubeConfig: server.kubeConfig('controllers'),
      clusterName: 'external',
      dataDir: join(dataDir, 'control-plane'),
      nodeName: 'external-node-1',
      provisioner: false,
    });
    parts = await attachToCluster({
      kubeConfig: server.kubeConfig('node'),
      name: 'external',
      dataDir: join(dataDir, 'node'),
      // the API server verifies kubelets with its CA and presents a client certificate from it (pods/log)
      kubeletCa: server.ca,
    });
    kc = server.kubeConfig('admin');
  });

  afterAll(async () => {
    await parts?.stop();
    await controlPlane?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10 });
  });

  it('is refused core Endpoints with a loopback address, as a real API server refuses them', async () => {
    await ensureNamespace(kc, 'probe');
    const refused = await kc
      .makeApiClient(CoreV1Api)
      .createNamespacedEndpoints({
        namespace: 'probe',
        body: {
          metadata: { name: 'loop' },
          subsets: [
            {
              addresses: [{ ip: parts!.address.podRange.first }],
              ports: [{ port: 80 }],
            },
          ],
        },
      })
      .then(
        () => undefined,
        (e: { code?: number; body?: string }) => e,
      );
    expect(refused?.code).toBe(422);
    expect(String(refused?.body)).toMatch(/may not be in the loopback range/);
  });

  it('runs a copy end to end on the attached node: same data, nothing of the transfer left', async () => {
    await ensureStorageClass(kc, 'fast');
    for (const ns of ['shop', 'shop2'])
      await ensureNamespace(kc, ns, {
        'pod-security.kubernetes.io/enforce': 'restricted',
      });
    const srcDir = await createBoundPvc(kc, 'shop', 'data', 'fast');
    // provisioned by the attached provisioner, under its data dir
    expect(srcDir.startsWith(join(dataDir, 'node'))).toBe(true);
    mkdirSync(join(srcDir, 'nested', 'deeper'), { recursive: true });
    for (const [name, size] of [
      ['a.bin', 3 * 1024 * 1024],
      ['nested/b.txt', 10_000],
      ['nested/deeper/c.bin', 1],
      ['empty', 0],
    ] as const)
      writeFileSync(join(srcDir, name), randomBytes(size));
    const spec: TransferSpec = {
      id: 'attached-1',
      source: { cluster: 'external', namespace: 'shop', name: 'data' },
      destination: { cluster: 'external', namespace: 'shop2', name: 'data' },
      mode: 'copy',
      intent: 'clone',
    };
    const facts = await gatherFacts({ spec, source: kc, destination: kc });
    const plan = planTransfer(facts);
    expect(plan.refusals).toEqual([]);
    expect(plan.endpoint).toBe('clusterip');
    const result = await runCopy({ spec, plan, source: kc, destination: kc });
    expect(result.syncs.every(s => s.result.ok)).toBe(true);

    const dstDir = await volumeDir(kc, 'shop2', 'data');
    const want = checksums(srcDir);
    expect(want.size).toBe(4);
    expect(checksums(dstDir)).toEqual(want);
    for (const ns of ['shop', 'shop2'])
      expect(await transferLeftovers(kc, ns, spec.id)).toEqual([]);
  });
});
