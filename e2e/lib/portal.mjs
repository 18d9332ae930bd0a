// Starts the demo portal exactly as `npm run demo` does (kube-sim with the seed, the backend serving the
// built app) unless E2E_BASE_URL points at one that already runs, and waits until the catalog has the
// seeded components.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  httpOk,
  start,
  stopAll,
  waitFor,
} from '../../scripts/lib/processes.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_USER_HEADER = 'x-namespace-transfer-demo-user';

/** A Backstage token for a demo user, the same way the sign-in page gets one. */
export async function demoToken(baseUrl, user) {
  const res = await fetch(`${baseUrl}/api/auth/demo/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest', [DEMO_USER_HEADER]: user },
  });
  if (!res.ok)
    throw new Error(
      `demo sign-in as ${user} failed: ${res.status} ${await res.text()}`,
    );
  return (await res.json()).backstageIdentity.token;
}

async function catalogHas(baseUrl, ref) {
  const token = await demoToken(baseUrl, 'user:default/alice');
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  const res = await fetch(
    `${baseUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    {
      headers: { Authorization: `Bearer ${token}` },
    },
  );
  return res.ok;
}

export async function startPortal() {
  const external = process.env.E2E_BASE_URL;
  const baseUrl = external ?? 'http://localhost:7007';
  const simDir = process.env.KUBE_SIM_DIR ?? join(repoRoot, '.sim', 'e2e');
  // Admin access to the demo clusters; for an external portal only when E2E_KUBECONFIG is set.
  const kubeconfig = external
    ? process.env.E2E_KUBECONFIG
    : join(simDir, 'kubeconfig');
  if (!external) {
    if (
      await httpOk(`${baseUrl}/.backstage/health/v1/readiness`)().catch(
        () => false,
      )
    ) {
      throw new Error(
        `something already serves ${baseUrl}; stop it or set E2E_BASE_URL to test it`,
      );
    }
    let exited;
    start('demo', process.execPath, [join(repoRoot, 'scripts/demo.mjs')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        KUBE_SIM_DIR: process.env.KUBE_SIM_DIR ?? join(repoRoot, '.sim', 'e2e'),
      },
      onExit: code => {
        exited = code;
      },
    });
    await waitFor(
      'the demo portal',
      async () => {
        if (exited !== undefined)
          throw new Error(`npm run demo exited with ${exited}`);
        return httpOk(`${baseUrl}/.backstage/health/v1/readiness`)();
      },
      900_000,
    ).catch(async e => {
      await stopAll('SIGINT');
      throw e;
    });
  }
  await waitFor(
    'the seeded catalog',
    () => catalogHas(baseUrl, 'component:default/payments-db'),
    120_000,
  );
  return {
    baseUrl,
    kubeconfig,
    stop: () => (external ? Promise.resolve() : stopAll('SIGINT')),
  };
}
