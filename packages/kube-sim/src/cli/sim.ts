/**
 * `npm run sim`: starts the clusters of a small config (default `east`, and `west` OpenShift-flavoured),
 * seeds them with the demo data, writes kubeconfigs and a Backstage config fragment, and runs until
 * Ctrl-C, when it stops every process it started.
 */
import { parseArgs } from 'node:util';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';
import {
  loadCertificateAuthority,
  startClusters,
  type ClusterOptions,
} from '../index';
import { DEMO_CLUSTERS, seedDemoCluster } from '../seed';
import { PACKAGE_DIR } from '../lib/packageDir';

const HELP = `Usage: npm run sim -- [options]

Starts local Kubernetes clusters (kube-sim) for development and the demo, and keeps them running until
Ctrl-C (SIGINT) or SIGTERM, when every process it started is stopped.

Options:
  --dir DIR        where to keep data, kubeconfigs and the Backstage config (default: <repo>/.sim)
  --config FILE    YAML list of clusters: [{name: east}, {name: west, openshift: true}]
  --no-seed        start empty clusters (no namespaces, workloads or data)
  --deploy DIR     manifests applied before the seed (default: <repo>/deploy when it exists)
  --fresh          delete DIR's previous data first
  --ready-file F   write F once everything is up (for scripts that wait)
  --attach FILE    start no API server: attach a kubelet, the network and the hostpath provisioner to
                   the cluster this kubeconfig reaches (another kube-sim, kind, a test control plane).
                   Nothing is seeded; the parts act with the kubeconfig's credentials. See the README's
                   "Attaching to an external API server" for what works on a real one.
  --context C      the kubeconfig context to attach with (default: its current context)
  --kubelet-ca-cert FILE, --kubelet-ca-key FILE
                   with --attach: the CA the API server trusts kubelets with (kubeadm:
                   /etc/kubernetes/pki/ca.crt and ca.key; an unencrypted PKCS #8 key, RSA or P-256); it signs
                   the kubelet's serving certificate, so that \`kubectl logs\` works through the API
                   server. Without it the kubelet makes its own CA and pods/log fails verification.
  -h, --help       this text

Writes:
  DIR/kubeconfig                    one context per cluster (admin)
  DIR/<cluster>/kubeconfig          one per cluster
  DIR/app-config.kube-sim.yaml      kubernetes.clusterLocatorMethods for Backstage, with the backend's
                                    ServiceAccount token (least privilege: deploy/ RBAC)
  DIR/nstransfer/                   not written by kube-sim: where nstransfer keeps its runs once the
                                    NSTRANSFER_STATE_DIR printed at start is exported (--fresh deletes it)

Examples:
  npm run sim -- --attach ~/.kube/config --context kind-dev
  npm run sim &                 # then
  export KUBECONFIG=$PWD/.sim/kubeconfig NSTRANSFER_STATE_DIR=$PWD/.sim/nstransfer
  kubectl --context east get pvc -A
  npx nstransfer plan payments/payments-db-data --source-context east --destination-context west
`;

/** `export A=... B=...`, quoted for a POSIX shell where a path needs it. */
function cliExportLine(env: Record<string, string>): string {
  const quote = (v: string) =>
    /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
  return `export ${Object.entries(env)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ')}`;
}

/** One cluster, named after the context it attaches with. */
function attachedSpec(kubeconfig: string, context?: string): ClusterOptions {
  if (!existsSync(kubeconfig))
    throw new Error(`--attach: no kubeconfig at ${kubeconfig}`);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const name = context ?? kc.getCurrentContext();
  if (!kc.getContextObject(name))
    throw new Error(
      `--attach: ${kubeconfig} has no context ${name}; it has ${
        kc
          .getContexts()
          .map(c => c.name)
          .join(', ') || 'none'
      }`,
    );
  // a node and DNS name part: lower case letters, digits and dashes
  const safe =
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'attached';
  return { name: safe, attach: { kubeconfig, context: name } };
}

// the package lives at <repo>/packages/kube-sim
const repoRoot = resolve(PACKAGE_DIR, '../..');

async function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      config: { type: 'string' },
      'no-seed': { type: 'boolean', default: false },
      deploy: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'ready-file': { type: 'string' },
      attach: { type: 'string' },
      context: { type: 'string' },
      'kubelet-ca-cert': { type: 'string' },
      'kubelet-ca-key': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const dir = resolve(values.dir ?? join(repoRoot, '.sim'));
  if (values.context && !values.attach)
    throw new Error('--context names a context of the --attach kubeconfig');
  let specs: ClusterOptions[] = DEMO_CLUSTERS.map(c => ({ ...c }));
  const caCert = values['kubelet-ca-cert'];
  const caKey = values['kubelet-ca-key'];
  if ((caCert || caKey) && !(caCert && caKey && values.attach))
    throw new Error(
      '--kubelet-ca-cert and --kubelet-ca-key go together, with --attach',
    );
  if (values.attach) {
    const spec = attachedSpec(resolve(values.attach), values.context);
    if (caCert && caKey)
      spec.attach!.kubeletCa = await loadCertificateAuthority(
        await readFile(caCert, 'utf8'),
        await readFile(caKey, 'utf8'),
      );
    specs = [spec];
  } else if (values.config)
    specs = parse(await readFile(values.config, 'utf8'));
  // a cluster we did not start is not ours to fill with demo data
  const seed = !values['no-seed'] && !values.attach;
  if (values.fresh) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });

  const started = Date.now();
  const world = await startClusters(specs, { dir, keep: true });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping kube-sim...\n`);
    await world.stop();
    process.stdout.write('kube-sim stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const deployDir = values.deploy ?? join(repoRoot, 'deploy');
  const clustersConfig = [];
  for (const cluster of world.clusters) {
    let token = cluster.token;
    if (seed) {
      ({ backendToken: token } = await seedDemoCluster(cluster, {
        deployDir: existsSync(deployDir) ? deployDir : undefined,
      }));
    }
    clustersConfig.push({
      name: cluster.name,
      url: cluster.server,
      authProvider: 'serviceAccount',
      serviceAccountToken: token,
      caData: cluster.caData,
    });
  }
  await writeFile(
    join(dir, 'app-config.kube-sim.yaml'),
    `# Written by kube-sim (npm run sim): the local clusters, for Backstage. Regenerated at every start.\n${stringify(
      {
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [{ type: 'config', clusters: clustersConfig }],
        },
      },
    )}`,
    { mode: 0o600 },
  );

  for (const c of world.clusters) {
    process.stdout.write(
      `cluster ${c.name}${c.openshift ? ' (OpenShift-flavoured)' : ''}: ${c.server}\n`,
    );
  }
  process.stdout.write(
    `kubeconfig: ${world.kubeconfigPath}\nBackstage config: ${join(dir, 'app-config.kube-sim.yaml')}\n` +
      `kubectl and nstransfer (their runs kept beside the clusters' data):\n  ${cliExportLine(
        {
          KUBECONFIG: world.kubeconfigPath,
          NSTRANSFER_STATE_DIR: join(dir, 'nstransfer'),
        },
      )}\n` +
      `ready in ${((Date.now() - started) / 1000).toFixed(1)}s; Ctrl-C stops it.\n`,
  );
  if (values['ready-file'])
    await writeFile(values['ready-file'], `${process.pid}\n`);
}

main().catch(e => {
  process.stderr.write(
    `kube-sim: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exit(1);
});
