// What `nstransfer controller` does once its arguments are parsed; loaded only then (commands/controller.ts: its flags and help).

import { startKepController, type KepControllerOptions } from '../../kep';
import { loadClusters } from '../clusters';
import { UsageError } from '../exitCodes';

export interface ControllerFlags {
  kubeconfig?: string;
  context?: string;
  allowTransferDefault?: boolean;
  leaseNamespace?: string;
  leaseName?: string;
  identity?: string;
  concurrency: number;
  maxAttempts: number;
}

/** The controller's leader election from its flags: none without --lease-namespace. */
export function leaderElectionOf(
  f: Pick<ControllerFlags, 'leaseNamespace' | 'leaseName' | 'identity'>,
): KepControllerOptions['leaderElection'] {
  if (!f.leaseNamespace) {
    if (f.leaseName || f.identity)
      throw new UsageError(
        '--lease-name and --identity need --lease-namespace',
      );
    return undefined;
  }
  return {
    namespace: f.leaseNamespace,
    name: f.leaseName,
    identity: f.identity,
  };
}

export const controllerAction = async (f: ControllerFlags) => {
  const leaderElection = leaderElectionOf(f);
  const { source } = loadClusters({
    kubeconfig: f.kubeconfig,
    sourceContext: f.context,
  });
  const log = (m: string) =>
    process.stdout.write(`${new Date().toISOString()} ${m}\n`);
  const controller = startKepController({
    kubeConfig: source.kc,
    clusterName: source.context,
    allowTransferDefault: f.allowTransferDefault,
    leaderElection,
    concurrency: f.concurrency,
    retry: { maxAttempts: f.maxAttempts },
    log,
  });
  // the handlers come first: a Ctrl-C right after the "watching" line must stop, not kill
  const stopped = new Promise<void>(resolve => {
    const stop = (sig: string) => {
      log(
        `${sig}: stopping (a rebind past its point of no return finishes first)`,
      );
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await controller.ready;
  log(
    `watching NamespaceTransferRequests in context "${source.context}" (Ctrl-C stops)${leaderElection ? `; acting while holding Lease ${leaderElection.namespace}/${leaderElection.name ?? 'namespace-transfer-kep'}` : ''}`,
  );
  await stopped;
  await controller.stop();
  log('stopped');
};
