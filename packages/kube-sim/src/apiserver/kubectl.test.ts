/**
 * The real kubectl binary against the server: get, client-side apply (GET + strategic merge PATCH), get -w,
 * and `--as` impersonation (auth can-i, can-i --list, whoami) with RBAC on.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from './testutil';

const run = promisify(execFile);

// A test runs kubectl several times, the first with a cold discovery cache (one request per served
// group version); on a loaded machine that takes longer than Jest's 5 s default.
jest.setTimeout(60_000);

// kubectl is not a Debian package. Outside CI these are skipped where it is missing (said so); in CI, whose
// machines have it, a missing kubectl fails the run instead of passing it by skipping.
const kubectlInstalled =
  spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status ===
  0;
if (!kubectlInstalled && process.env.CI)
  throw new Error(
    'kubectl is not installed: the kubectl compatibility tests need it in CI; install kubectl (1.21+)',
  );
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

  it('gets the kubernetes EndpointSlice and Leases by their resource names', async () => {
    const slices = (await kubectl('get', 'endpointslices', '-n', 'default'))
      .trim()
      .split('\n');
    expect(slices[0].split(/\s+/)).toEqual([
      'NAME',
      'ADDRESSTYPE',
      'PORTS',
      'ENDPOINTS',
      'AGE',
    ]);
    expect(slices[1]).toMatch(/^kubernetes\s+IPv4\s+\d+\s+127\.[\d.]+\s+\d+s$/);
    await t.request(
      'POST',
      '/apis/coordination.k8s.io/v1/namespaces/default/leases',
      { metadata: { name: 'leader' }, spec: { holderIdentity: 'replica-a' } },
    );
    expect(await kubectl('get', 'lease', 'leader', '--no-headers')).toMatch(
      /^leader\s+replica-a\s+\d+s/,
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

(kubectlInstalled ? describe : describe.skip)('kubectl --as', () => {
  let t: TestServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const SA = 'system:serviceaccount:team:engine';
  /** stdout, stderr and the exit code (can-i exits 1 for "no") */
  const kubectl = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run('kubectl', args, {
        env,
        timeout: 30_000,
      });
      return { out: stdout, err: stderr, code: 0 };
    } catch (e: any) {
      if (typeof e?.code !== 'number') throw e;
      return { out: String(e.stdout), err: String(e.stderr), code: e.code };
    }
  };

  beforeAll(async () => {
    t = await startTestServer({
      rbac: true,
      tokens: { 'alice-token': { username: 'alice', groups: [] } },
    });
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-kubectl-as-'));
    writeFileSync(join(dir, 'kubeconfig'), t.kubeConfig().exportConfig());
    writeFileSync(
      join(dir, 'alice'),
      t.kubeConfig('alice-token').exportConfig(),
    );
    env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir };
    const ok = (r: { status: number }) => expect(r.status).toBe(201);
    ok(
      await t.request('POST', '/api/v1/namespaces', {
        metadata: { name: 'team' },
      }),
    );
    ok(
      await t.request('POST', '/api/v1/namespaces/team/serviceaccounts', {
        metadata: { name: 'engine' },
      }),
    );
    ok(
      await t.request(
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings',
        {
          metadata: { name: 'engine-view' },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'view',
          },
          subjects: [
            { kind: 'ServiceAccount', name: 'engine', namespace: 'team' },
          ],
        },
      ),
    );
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('auth can-i answers for the impersonated service account, not the admin', async () => {
    expect(await kubectl('auth', 'can-i', 'delete', 'nodes')).toMatchObject({
      out: 'yes\n',
      code: 0,
    });
    expect(
      await kubectl('--as', SA, 'auth', 'can-i', 'delete', 'nodes'),
    ).toMatchObject({ out: 'no\n', code: 1 });
    expect(
      await kubectl('--as', SA, '-n', 'team', 'auth', 'can-i', 'list', 'pods'),
    ).toMatchObject({ out: 'yes\n', code: 0 });
    expect(
      await kubectl(
        '--as',
        SA,
        '-n',
        'team',
        'auth',
        'can-i',
        'get',
        'secrets',
      ),
    ).toMatchObject({ out: 'no\n', code: 1 });
  });

  it('auth can-i --list lists the impersonated rules; whoami names the user', async () => {
    const { out } = await kubectl(
      '--as',
      SA,
      '-n',
      'team',
      'auth',
      'can-i',
      '--list',
    );
    expect(out).toMatch(
      /^persistentvolumeclaims\s+\[\]\s+\[\]\s+\[get list watch\]$/m,
    );
    expect(out).not.toMatch(/^\*\.\*\s/m);
    const who = JSON.parse(
      (await kubectl('--as', SA, 'auth', 'whoami', '-o', 'json')).out,
    );
    expect(who.status.userInfo).toEqual({
      username: SA,
      groups: [
        'system:serviceaccounts',
        'system:serviceaccounts:team',
        'system:authenticated',
      ],
    });
  });

  it('refuses --as to a user without impersonate rights', async () => {
    const { err, code } = await kubectl(
      '--kubeconfig',
      join(dir, 'alice'),
      '--as',
      'bob',
      'get',
      'pods',
      '-n',
      'team',
    );
    expect(code).toBe(1);
    expect(err).toContain(
      'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });
});
