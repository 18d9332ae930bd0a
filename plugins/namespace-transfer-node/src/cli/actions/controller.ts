// What `nstransfer controller` does once its arguments are parsed; loaded only then (commands/controller.ts: its flags and help).

import { startKepController } from '../../kep';
import { loadClusters } from '../clusters';

export const controllerAction = async (f: {
  kubeconfig?: string;
  context?: string;
  allowTransferDefault?: boolean;
}) => {
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
    `watching NamespaceTransferRequests in context "${source.context}" (Ctrl-C stops)`,
  );
  await stopped;
  await controller.stop();
  log('stopped');
};
