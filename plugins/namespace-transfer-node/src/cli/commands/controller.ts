// the actions are imported when they run: see lazyAction
import { Command, InvalidArgumentError } from 'commander';
import { lazyAction } from './lazyAction';

const EXAMPLES = `
Examples:
  $ nstransfer controller --context east
  $ nstransfer controller --kubeconfig ./kubeconfig --context east --allow-transfer-default
  $ nstransfer controller --context east --lease-namespace namespace-transfer-system --concurrency 2

Runs until Ctrl-C: watches NamespaceTransferRequests, NamespaceTransferApprovals and claims (the KEP objects
of deploy/crds) and rebinds a request's volume once it is approved, writing progress to the request's status
and the matched request to the approval's. A claim whose dataSourceRef names a request receives the volume
(the KEP's story 1); else spec.targetName, else the source's name, is created.

A transient failure (429, 5xx, a cluster away) is retried with backoff up to --max-attempts runs. With
--lease-namespace, replicas elect a leader through a coordination.k8s.io Lease there (deploy/rbac grants
it) and only the leader acts; without it this replica acts at once, so run one only. Ctrl-C stops a
rebind that has not deleted its source claim yet (the next controller resumes it) and lets one past that
point finish.`;

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be an integer >= 1');
  return n;
}

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
    .option(
      '--lease-namespace <namespace>',
      'elect a leader through a Lease in this namespace (default: no election, act at once)',
    )
    .option(
      '--lease-name <name>',
      'the Lease (default namespace-transfer-kep; with --lease-namespace)',
    )
    .option(
      '--identity <name>',
      "this replica's name in the Lease (default: host name, pid and a random suffix)",
    )
    .option(
      '--concurrency <n>',
      'requests reconciled at once',
      positiveInteger,
      4,
    )
    .option(
      '--max-attempts <n>',
      'runs of a request before a transient failure ends it Failed (RetriesExhausted)',
      positiveInteger,
      5,
    )
    .addHelpText('after', EXAMPLES)
    .action(
      lazyAction(
        async () => (await import('../actions/controller')).controllerAction,
      ),
    );
}
