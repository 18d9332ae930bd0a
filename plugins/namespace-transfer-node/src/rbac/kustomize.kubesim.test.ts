/**
 * deploy/ installed as an adopter installs it, against a kube-sim cluster: `kubectl apply -k deploy/` (the
 * base), then `kubectl apply -k deploy/overlays/example` (the base and the copy RoleBindings of two team
 * namespaces) twice; neither of the later applies changes what an earlier one made.
 * Then the engine copies a small claim with exactly what that installed: the token the token controller put
 * into the engine's token Secret, read back as the README says.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { readManifests, startClusters, type SimWorld } from 'kube-sim';
import { planAndCopy } from '../copy';
import { ensureClass } from '../rebind/testing';
import {
  createBoundPvc,
  createWorkload,
  ensureNamespace,
  transferLeftovers,
  volumeDir,
} from '../testing/kubesim';
import { buildTree, diffTrees, scanTree } from '../testing/trees';

jest.setTimeout(300_000);

const run = promisify(execFile);
const DEPLOY = join(__dirname, '..', '..', '..', '..', 'deploy');
const OVERLAY = join(DEPLOY, 'overlays', 'example');
const SYSTEM_NS = 'namespace-transfer-system';
/** the namespaces deploy/overlays/example binds copy mode in */
const TEAM_NAMESPACES = ['team-a', 'team-b'];

describe('kubectl apply -k deploy/ on a kube-sim cluster', () => {
  let world: SimWorld;
  let admin: KubeConfig;
  let dir: string;
  let rendered: KubernetesObject[];
  let renderedBase: KubernetesObject[];
  const applied: string[] = [];
  const versions: Record<string, string>[] = [];

  const kubectl = async (...args: string[]) =>
    (
      await run('kubectl', args, {
        env: {
          ...process.env,
          KUBECONFIG: world.cluster('east').kubeconfigPath,
          HOME: dir,
        },
        timeout: 60_000,
      })
    ).stdout;

  /** resourceVersion of every object given, as the cluster holds it now */
  async function resourceVersions(
    objects: KubernetesObject[],
  ): Promise<Record<string, string>> {
    const api = KubernetesObjectApi.makeApiClient(admin);
    const out: Record<string, string> = {};
    for (const o of objects) {
      const live = await api.read({
        apiVersion: o.apiVersion!,
        kind: o.kind!,
        metadata: { name: o.metadata!.name!, namespace: o.metadata!.namespace },
      });
      out[keyOf(o)] = live.metadata!.resourceVersion!;
    }
    return out;
  }

  /** a kubeconfig of the cluster with the token of one of deploy/'s token Secrets, as README.md reads it */
  async function tokenKubeConfig(secret: string): Promise<KubeConfig> {
    const data = (
      await admin
        .makeApiClient(CoreV1Api)
        .readNamespacedSecret({ namespace: SYSTEM_NS, name: secret })
    ).data;
    expect(data?.token).toBeDefined();
    const east = world.cluster('east');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'east', server: east.server, caData: east.caData }],
      users: [
        {
          name: secret,
          token: Buffer.from(data!.token, 'base64').toString('utf8'),
        },
      ],
      contexts: [{ name: 'east', cluster: 'east', user: secret }],
      currentContext: 'east',
    });
    return kc;
  }

  beforeAll(async () => {
    // An adopter's `kubectl apply -k`: without kubectl this test cannot run, and must not pass by skipping.
    if (spawnSync('kubectl', ['version', '--client']).status !== 0)
      throw new Error(
        'kubectl is not installed: this test applies deploy/ with `kubectl apply -k`; install kubectl',
      );
    dir = mkdtempSync(join(tmpdir(), 'nt-kustomize-'));
    const render = async (kustomization: string, name: string) => {
      const file = join(dir, name);
      writeFileSync(
        file,
        (await run('kubectl', ['kustomize', kustomization])).stdout,
      );
      return readManifests(file);
    };
    rendered = await render(OVERLAY, 'overlay.yaml');
    renderedBase = await render(DEPLOY, 'base.yaml');
    world = await startClusters([{ name: 'east' }]);
    admin = world.cluster('east').kubeConfig();
    await ensureClass(admin, 'movable', 'true');
    // the overlay binds copy mode in namespaces that exist already: a team's own
    for (const ns of TEAM_NAMESPACES) await ensureNamespace(admin, ns);
    applied.push(await kubectl('apply', '-k', DEPLOY));
    versions.push(await resourceVersions(renderedBase));
    for (let round = 0; round < 2; round++) {
      applied.push(await kubectl('apply', '-k', OVERLAY));
      versions.push(await resourceVersions(rendered));
    }
  });

  afterAll(async () => {
    await world?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the base and one copy RoleBinding per team namespace, binding copy nowhere else', async () => {
    const baseObjects = renderedBase.map(keyOf);
    expect(baseObjects.sort()).toEqual(
      [
        'CustomResourceDefinition/namespacetransferapprovals.transfer.namespace-transfer.io',
        'CustomResourceDefinition/namespacetransferrequests.transfer.namespace-transfer.io',
        'Namespace/namespace-transfer-system',
        `ServiceAccount/${SYSTEM_NS}/namespace-transfer`,
        `ServiceAccount/${SYSTEM_NS}/namespace-transfer-engine`,
        `Secret/${SYSTEM_NS}/namespace-transfer-token`,
        `Secret/${SYSTEM_NS}/namespace-transfer-engine-token`,
        'ClusterRole/namespace-transfer-reader',
        'ClusterRole/namespace-transfer-copy',
        'ClusterRole/namespace-transfer-rebind',
        'ClusterRole/namespace-transfer-kep-edit',
        'ClusterRoleBinding/namespace-transfer-reader-namespace-transfer',
        'ClusterRoleBinding/namespace-transfer-rebind-namespace-transfer-engine',
        // the KEP controller's leader election: Leases in its own namespace only
        `Role/${SYSTEM_NS}/namespace-transfer-kep-leader`,
        `RoleBinding/${SYSTEM_NS}/namespace-transfer-kep-leader-namespace-transfer-engine`,
      ].sort(),
    );
    expect(rendered.map(keyOf).sort()).toEqual(
      [
        ...baseObjects,
        ...TEAM_NAMESPACES.map(
          ns =>
            `RoleBinding/${ns}/namespace-transfer-copy-namespace-transfer-engine`,
        ),
      ].sort(),
    );
  });

  it('installs the base, adds only the RoleBindings with the overlay, and changes nothing applied again', () => {
    const lines = (out: string) => out.trim().split('\n').sort();
    const [base, overlay, again] = applied.map(lines);
    expect(base).toHaveLength(renderedBase.length);
    for (const line of base) expect(line).toMatch(/ created$/);
    // the overlay: its two RoleBindings created, the base's objects left as they were
    expect(overlay.filter(l => !l.endsWith(' unchanged'))).toEqual(
      TEAM_NAMESPACES.map(
        () =>
          'rolebinding.rbac.authorization.k8s.io/namespace-transfer-copy-namespace-transfer-engine created',
      ),
    );
    expect(overlay).toHaveLength(rendered.length);
    expect(versions[1]).toEqual(expect.objectContaining(versions[0]));
    expect(again.filter(l => !l.endsWith(' unchanged'))).toEqual([]);
    expect(again).toHaveLength(rendered.length);
    expect(versions[2]).toEqual(versions[1]);
  });

  it("gives the engine's token copy mode in the team namespaces only, and the portal's token reading only", async () => {
    const can = async (
      kc: KubeConfig,
      verb: string,
      resource: string,
      namespace?: string,
    ) =>
      (
        await kc
          .makeApiClient(AuthorizationV1Api)
          .createSelfSubjectAccessReview({
            body: {
              spec: { resourceAttributes: { verb, resource, namespace } },
            },
          })
      ).status!.allowed;
    const engine = await tokenKubeConfig('namespace-transfer-engine-token');
    const portal = await tokenKubeConfig('namespace-transfer-token');
    const answers = [
      [engine, 'create', 'pods', 'team-a', true],
      [engine, 'get', 'secrets', 'team-b', true],
      [engine, 'create', 'pods', 'default', false],
      [engine, 'get', 'secrets', SYSTEM_NS, false],
      [engine, 'list', 'secrets', undefined, false],
      [portal, 'list', 'persistentvolumeclaims', undefined, true],
      [portal, 'create', 'pods', 'team-a', false],
      [portal, 'get', 'secrets', 'team-a', false],
    ] as const;
    for (const [kc, verb, resource, namespace, allowed] of answers)
      expect([
        kc === engine ? 'engine' : 'portal',
        verb,
        resource,
        namespace,
        await can(kc, verb, resource, namespace),
      ]).toEqual([
        kc === engine ? 'engine' : 'portal',
        verb,
        resource,
        namespace,
        allowed,
      ]);
  });

  it("copies a claim between two team namespaces with the engine's token alone, and leaves nothing behind", async () => {
    const source = await createBoundPvc(admin, 'team-a', 'data', 'movable');
    buildTree(source, {
      smallFiles: 12,
      largeBytes: 32 * 1024,
      sparseBytes: 256 * 1024,
    });
    // the application that uses the claim: the movers run as its user
    await createWorkload(admin, 'team-a', 'data-app', 'data', 1001, 1);
    const engine = await tokenKubeConfig('namespace-transfer-engine-token');
    const id = 'kustomize-clone';
    await planAndCopy({
      spec: {
        id,
        source: { cluster: 'east', namespace: 'team-a', name: 'data' },
        destination: { cluster: 'east', namespace: 'team-b', name: 'data' },
        mode: 'copy',
        intent: 'clone',
        options: { endpoint: 'clusterip' },
      },
      source: engine,
      destination: engine,
    });
    const data = (tree: ReturnType<typeof scanTree>) => {
      // the file system's own lost+found is the volume's, not data
      for (const k of [...tree.keys()])
        if (k.startsWith('lost+found')) tree.delete(k);
      return tree;
    };
    const copied = data(scanTree(await volumeDir(admin, 'team-b', 'data')));
    expect(copied.size).toBeGreaterThan(12);
    expect(diffTrees(data(scanTree(source)), copied)).toEqual([]);
    for (const ns of TEAM_NAMESPACES)
      expect([ns, await transferLeftovers(admin, ns, id)]).toEqual([ns, []]);
  });
});

function keyOf(o: KubernetesObject): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name]
    .filter(Boolean)
    .join('/');
}
