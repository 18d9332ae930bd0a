/**
 * What copy and rebind both need of the source's workloads: every kind listed to find who uses the claim
 * (and, in the destination, who will), and the kinds quiesce stops updated. Restoring also lists
 * ReplicaSets and ReplicationControllers and takes back the marks their controllers copied onto them.
 */
import { BOTH, grant, SRC, type Grant } from './needs';

const listed = (apiGroup: string, resources: string[]) =>
  resources.map(r => grant(apiGroup, r, ['list'], { sides: BOTH }));

export const WORKLOAD_GRANTS: Grant[] = [
  ...listed('apps', [
    'deployments',
    'statefulsets',
    'replicasets',
    'daemonsets',
  ]),
  ...listed('batch', ['cronjobs', 'jobs']),
  grant('apps', 'deployments', ['get', 'update'], {
    sides: SRC,
    when: { quiesces: ['Deployment'] },
  }),
  grant('apps', 'statefulsets', ['get', 'update'], {
    sides: SRC,
    when: { quiesces: ['StatefulSet'] },
  }),
  grant('apps', 'daemonsets', ['get', 'update'], {
    sides: SRC,
    when: { quiesces: ['DaemonSet'] },
  }),
  grant('apps', 'replicasets', ['get', 'update'], {
    sides: SRC,
    when: { quiesces: ['Deployment', 'ReplicaSet'] },
  }),
  grant('batch', 'cronjobs', ['get', 'update'], {
    sides: SRC,
    when: { quiesces: ['CronJob'] },
  }),
  grant('', 'replicationcontrollers', ['list'], {
    sides: SRC,
    when: { quiesces: 'any' },
  }),
  grant('', 'replicationcontrollers', ['get', 'update'], {
    sides: SRC,
    when: { quiesces: ['DeploymentConfig'] },
  }),
  grant('apps.openshift.io', 'deploymentconfigs', ['list']),
  grant('apps.openshift.io', 'deploymentconfigs', ['get', 'update'], {
    sides: SRC,
    when: { quiesces: ['DeploymentConfig'] },
  }),
];
