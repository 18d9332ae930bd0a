/** The real kubectl binary against the server: get, client-side apply (GET + strategic merge PATCH), get -w. */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from './testutil';

const run = promisify(execFile);

// kubectl is not a Debian package: run these where it is installed, as the issue asks, and say so.
const kubectlInstalled =
  spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status ===
  0;
if (!kubectlInstalled)
  process.stdout.write(
    'kubectl not installed: skipping the kubectl compatibility tests\n',
  );

(kubectlInstalled ? describe : describe.skip)('kubectl', () => {
  let t: TestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const kubectl = async (...args: string[]) =>
    (await run('kubectl', args, { env, timeout: 30_000 })).stdout;

  beforeAll(async () => {
    t = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-kubectl-'));
    writeFileSync(join(dir, 'kubeconfig'), t.kubeConfig().exportConfig());
    env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir };
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists namespaces', async () => {
    const out = await kubectl('get', 'ns', '-o', 'name');
    expect(out.split('\n')).toEqual(
      expect.arrayContaining(['namespace/default', 'namespace/kube-system']),
    );
  });

  it('applies, re-applies with changes and reads back', async () => {
    const manifest = (value: string, image: string) => `
apiVersion: v1
kind: ConfigMap
metadata: {name: applied, namespace: default}
data: {a: "${value}"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: c, image: "${image}", env: [{name: A, value: "${value}"}]}
`;
    const file = join(dir, 'm.yaml');
    writeFileSync(file, manifest('1', 'busybox:1.36'));
    expect(await kubectl('apply', '-f', file)).toContain(
      'deployment.apps/web created',
    );
    writeFileSync(file, manifest('2', 'busybox:1.37'));
    expect(await kubectl('apply', '-f', file)).toContain(
      'deployment.apps/web configured',
    );
    expect(
      await kubectl('get', 'cm', 'applied', '-o', 'jsonpath={.data.a}'),
    ).toBe('2');
    const dep = JSON.parse(await kubectl('get', 'deploy', 'web', '-o', 'json'));
    expect(dep.spec.template.spec.containers[0]).toMatchObject({
      image: 'busybox:1.37',
      env: [{ name: 'A', value: '2' }],
    });
    expect(dep.metadata.generation).toBe(2);
  });

  it('prints server-side tables with the real columns', async () => {
    await t.request(
      'POST',
      '/api/v1/namespaces/default/persistentvolumeclaims',
      {
        metadata: { name: 'printed' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
          storageClassName: 'fast',
        },
      },
    );
    const lines = (await kubectl('get', 'pvc', 'printed')).trim().split('\n');
    expect(lines[0].split(/\s+/)).toEqual([
      'NAME',
      'STATUS',
      'VOLUME',
      'CAPACITY',
      'ACCESS',
      'MODES',
      'STORAGECLASS',
      'AGE',
    ]);
    expect(lines[1]).toMatch(/^printed\s+Pending\s+fast\s+\d+s$/);
    expect(await kubectl('get', 'ns', 'default', '--no-headers')).toMatch(
      /^default\s+Active\s+\d+s/,
    );
  });

  it('watches PVCs with get -w', async () => {
    const child = spawn(
      'kubectl',
      ['get', 'pvc', '-w', '-n', 'default', '-o', 'name'],
      { env },
    );
    let out = '';
    child.stdout.on('data', c => (out += c));
    await new Promise(r => setTimeout(r, 1500));
    await t.request(
      'POST',
      '/api/v1/namespaces/default/persistentvolumeclaims',
      {
        metadata: { name: 'watched' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
      },
    );
    const deadline = Date.now() + 10_000;
    while (
      !out.includes('persistentvolumeclaim/watched') &&
      Date.now() < deadline
    )
      await new Promise(r => setTimeout(r, 100));
    child.kill();
    expect(out).toContain('persistentvolumeclaim/watched');
  });
});
