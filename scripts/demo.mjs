#!/usr/bin/env node
// `npm run demo`: the demo portal on a fresh machine. Installs what is missing, starts two kube-sim
// clusters with seeded data (east, and west OpenShift-flavoured), then the Backstage backend, which also
// serves the frontend, on http://localhost:7007. Ctrl-C stops everything.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureDebianPackages,
  ensureNodeModules,
  repoRoot,
} from './lib/prereqs.mjs';
import {
  fileExists,
  httpOk,
  start,
  stopAll,
  waitFor,
} from './lib/processes.mjs';
import {
  buildAppIfStale,
  backendArgs,
  cliExportLine,
  writeDatabaseConfig,
  writeEngineIdentityConfig,
} from './lib/portal.mjs';

const simDir = process.env.KUBE_SIM_DIR ?? join(repoRoot, '.sim');

async function main() {
  ensureNodeModules();
  ensureDebianPackages({ needBrowser: false });

  const ready = join(simDir, 'ready');
  rmSync(ready, { force: true });
  const fail = code => {
    if (!stopping) {
      process.stderr.write(`a demo process exited (${code}); stopping\n`);
      void shutdown(1);
    }
  };
  start(
    'kube-sim',
    'npx',
    [
      'tsx',
      'packages/kube-sim/src/cli/sim.ts',
      '--fresh',
      '--dir',
      simDir,
      '--ready-file',
      ready,
    ],
    {
      cwd: repoRoot,
      onExit: fail,
    },
  );
  await waitFor('kube-sim', fileExists(ready), 180_000);
  // the portal reads as the reader; transfers run as the engine's ServiceAccount
  await writeEngineIdentityConfig(simDir);
  writeDatabaseConfig(simDir);

  buildAppIfStale();
  start('backend', 'npx', backendArgs(simDir), {
    cwd: join(repoRoot, 'packages/backend'),
    onExit: fail,
  });
  await waitFor(
    'the backend',
    httpOk('http://localhost:7007/.backstage/health/v1/readiness'),
    300_000,
  );
  process.stdout.write(
    '\nNamespace Transfer demo: http://localhost:7007\n' +
      'Sign in as alice or dave (team-payments: one requests, the other approves), bob or erin\n' +
      '(team-orders), or carol (platform team, sees every transfer).\n\n' +
      `kubectl and nstransfer: in another terminal, from ${repoRoot}, first\n` +
      `  ${cliExportLine(simDir)}\n` +
      'then, for example (the README has the whole nstransfer walk-through):\n' +
      '  kubectl --context east get pvc -A\n' +
      '  npx nstransfer plan payments/payments-db-data --source-context east --destination-context west\n' +
      "nstransfer's runs are kept in the demo's directory: the next demo starts with none.\n\n" +
      'Ctrl-C stops everything.\n',
  );
}

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await stopAll('SIGINT');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async e => {
  process.stderr.write(`demo: ${e.message}\n`);
  await shutdown(1);
});
