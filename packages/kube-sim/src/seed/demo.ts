import type { SimCluster } from '../cluster';
import {
  deployment,
  namespace,
  pvc,
  statefulSet,
  storageClass,
  type Manifest,
} from './objects';

const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const id = (name: string) => ({ 'backstage.io/kubernetes-id': name });

/** OpenShift allocates each namespace a UID block; workloads there run with a UID from it. */
function openshiftRange(index: number) {
  const start = 1000600000 + index * 10000;
  return {
    annotations: {
      'openshift.io/sa.scc.uid-range': `${start}/10000`,
      'openshift.io/sa.scc.supplemental-groups': `${start}/10000`,
      'openshift.io/sa.scc.mcs': `s0:c${26 + index},c${10 + index}`,
    },
    identity: { uid: start, gid: start },
  };
}

/**
 * Big enough that a copy's progress shows in the portal for a few seconds, small enough that the pod
 * writes it in about a second when the demo starts.
 */
const PAYMENTS_DB_BLOB_MIB = 384;

/** The demo data of DESIGN §7, matching the catalog in examples/. */
export function demoManifests(cluster: 'east' | 'west'): Manifest[] {
  const classes = [
    storageClass('standard', 'Delete', { isDefault: true }),
    storageClass('fast', 'Retain'),
    // the one class whose volumes the operator lets a rebind hand to another namespace
    storageClass('retained', 'Retain', { allowTransfer: true }),
  ];
  if (cluster === 'east') {
    const app = { uid: 1000, gid: 1000 };
    return [
      ...classes,
      namespace('payments', restricted),
      namespace('payments-staging', restricted),
      namespace('orders', restricted),
      namespace('reports', restricted),
      pvc('payments', 'payments-db-data', '1Gi', 'standard', id('payments-db')),
      deployment('payments', 'payments-db', 'payments-db-data', app, {
        records: 200,
        blobMiB: PAYMENTS_DB_BLOB_MIB,
      }),
      pvc('orders', 'orders-uploads', '2Gi', 'standard', id('orders-api')),
      deployment(
        'orders',
        'orders-api',
        'orders-uploads',
        { uid: 1001, gid: 1001 },
        { records: 500, blobMiB: 4 },
      ),
      statefulSet(
        'orders',
        'orders-cache',
        'orders-api',
        { uid: 1001, gid: 1001 },
        '1Gi',
        'fast',
      ),
    ];
  }
  const reports = openshiftRange(1);
  return [
    ...classes,
    namespace('reports', restricted, reports.annotations),
    namespace('payments', restricted, openshiftRange(2).annotations),
    namespace('orders', restricted, openshiftRange(3).annotations),
    pvc('reports', 'reports-archive', '1Gi', 'standard', id('reports')),
    deployment('reports', 'reports', 'reports-archive', reports.identity, {
      records: 100,
      blobMiB: 8,
    }),
    // on the class that allows rebind: the demo's same-cluster rebind into payments-db's namespace here
    pvc('reports', 'reports-exports', '1Gi', 'retained', id('reports')),
    deployment(
      'reports',
      'reports-exporter',
      'reports-exports',
      reports.identity,
      { records: 50, blobMiB: 1 },
      'reports',
    ),
  ];
}

export const DEMO_CLUSTERS = [
  { name: 'east', openshift: false },
  { name: 'west', openshift: true },
] as const;

export type DemoClusterName = SimCluster['name'];
