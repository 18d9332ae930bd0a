// the actions are imported when they run: see lazyAction
import { Command } from 'commander';
import { lazyAction } from './lazyAction';

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
      lazyAction(
        async () => (await import('../actions/controller')).controllerAction,
      ),
    );
}
