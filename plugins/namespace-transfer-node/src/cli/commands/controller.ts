import { Command } from 'commander';
import { startKepController } from '../../kep';
import { loadClusters } from '../clusters';

const EXAMPLES = `
Examples:
  $ nstransfer controller --context east
  $ nstransfer controller --kubeconfig ./kubeconfig --context east --allow-transfer-default

Runs until Ctrl-C: watches NamespaceTransferRequests and NamespaceTransferApprovals (the KEP objects of
deploy/crds) and rebinds a request's volume once it is approved, writing progress to the request's status.`;

export function controllerCommand(): Command {
  return new Command('controller')
    .description(
      'run the Namespace Transfer KEP controller (rebind on approved NamespaceTransferRequests)',
    )
    .option(
      '--kubeconfig <path>',
      'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)',
    )
    .option(
      '--context <name>',
      'kubeconfig context of the cluster (default: the current context)',
    )
    .option(
      '--allow-transfer-default',
      'storage classes without the allow-transfer annotation allow rebind',
    )
    .addHelpText('after', EXAMPLES)
    .action(
      async (f: {
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
      },
    );
}
