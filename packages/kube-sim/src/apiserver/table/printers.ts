/**
 * Server-side printing for `kubectl get` (meta.k8s.io Table): the columns of pkg/printers/internalversion
 * for the kinds we use, Name/Age for the rest, and a CRD's additionalPrinterColumns for custom resources.
 */
import type { KObject } from '../registry/types';
import { getPath } from '../util';
import {
  age,
  AGE,
  ageOf,
  col,
  NAME,
  name,
  none,
  type Printer,
} from './columns';
import { DISCOVERY_PRINTERS } from './leaseAndSlice';

export { age, type Column, type Printer } from './columns';

const MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};
const modes = (list: string[] | undefined) =>
  (list ?? []).map(m => MODES[m] ?? m).join(',');

function podStatus(p: KObject): string {
  if (p.metadata?.deletionTimestamp) return 'Terminating';
  const waiting = (p.status?.containerStatuses ?? []).find(
    (c: KObject) => c.state?.waiting?.reason,
  )?.state.waiting.reason;
  const terminated = (p.status?.containerStatuses ?? []).find(
    (c: KObject) => c.state?.terminated?.reason,
  )?.state.terminated.reason;
  return (
    p.status?.reason ??
    waiting ??
    (p.status?.phase === 'Running' ? 'Running' : terminated) ??
    p.status?.phase ??
    'Unknown'
  );
}

function servicePorts(s: KObject): string {
  const ports: KObject[] = s.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports
    .map(
      p =>
        `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`,
    )
    .join(',');
}

function externalIP(s: KObject): string {
  const ips = [
    ...(s.status?.loadBalancer?.ingress ?? []).map(
      (i: KObject) => i.ip ?? i.hostname,
    ),
    ...(s.spec?.externalIPs ?? []),
  ];
  if (ips.length) return ips.join(',');
  if (s.spec?.type === 'LoadBalancer') return '<pending>';
  if (s.spec?.type === 'ExternalName') return s.spec.externalName;
  return '<none>';
}

const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [
      NAME,
      col('Ready'),
      col('Status'),
      col('Restarts', 'string'),
      AGE,
      col('IP', 'string', 1),
      col('Node', 'string', 1),
    ],
    cells: p => {
      const cs: KObject[] = p.status?.containerStatuses ?? [];
      const total = (p.spec?.containers ?? []).length;
      const restarts = cs.reduce((n, c) => n + (c.restartCount ?? 0), 0);
      return [
        name(p),
        `${cs.filter(c => c.ready).length}/${total}`,
        podStatus(p),
        String(restarts),
        ageOf(p),
        none(p.status?.podIP),
        none(p.spec?.nodeName),
      ];
    },
  },
  PersistentVolumeClaim: {
    columns: [
      NAME,
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      AGE,
      col('VolumeMode', 'string', 1),
    ],
    cells: c => [
      name(c),
      c.metadata?.deletionTimestamp ? 'Terminating' : c.status?.phase,
      c.spec?.volumeName ?? '',
      c.status?.capacity?.storage ?? '',
      modes(c.status?.accessModes),
      c.spec?.storageClassName ?? '<unset>',
      ageOf(c),
      c.spec?.volumeMode,
    ],
  },
  PersistentVolume: {
    columns: [
      NAME,
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      col('Reason'),
      AGE,
    ],
    cells: v => [
      name(v),
      v.spec?.capacity?.storage,
      modes(v.spec?.accessModes),
      v.spec?.persistentVolumeReclaimPolicy,
      v.metadata?.deletionTimestamp ? 'Terminating' : v.status?.phase,
      v.spec?.claimRef
        ? `${v.spec.claimRef.namespace}/${v.spec.claimRef.name}`
        : '',
      v.spec?.storageClassName ?? '',
      v.status?.reason ?? '',
      ageOf(v),
    ],
  },
  Namespace: {
    columns: [NAME, col('Status'), AGE],
    cells: n => [name(n), n.status?.phase, ageOf(n)],
  },
  Deployment: {
    columns: [
      NAME,
      col('Ready'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      AGE,
    ],
    cells: d => [
      name(d),
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      ageOf(d),
    ],
  },
  StatefulSet: {
    columns: [NAME, col('Ready'), AGE],
    cells: s => [
      name(s),
      `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`,
      ageOf(s),
    ],
  },
  ReplicaSet: {
    columns: [
      NAME,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      AGE,
    ],
    cells: r => [
      name(r),
      r.spec?.replicas ?? 0,
      r.status?.replicas ?? 0,
      r.status?.readyReplicas ?? 0,
      ageOf(r),
    ],
  },
  Service: {
    columns: [
      NAME,
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      AGE,
      col('Selector', 'string', 1),
    ],
    cells: s => [
      name(s),
      s.spec?.type,
      none(s.spec?.clusterIP),
      externalIP(s),
      servicePorts(s),
      ageOf(s),
      Object.entries(s.spec?.selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || '<none>',
    ],
  },
  Job: {
    columns: [NAME, col('Completions'), AGE],
    cells: j => [
      name(j),
      `${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1}`,
      ageOf(j),
    ],
  },
  CronJob: {
    columns: [
      NAME,
      col('Schedule'),
      col('Suspend', 'boolean'),
      col('Active', 'integer'),
      col('Last Schedule'),
      AGE,
    ],
    cells: c => [
      name(c),
      c.spec?.schedule,
      String(!!c.spec?.suspend),
      (c.status?.active ?? []).length,
      c.status?.lastScheduleTime ? age(c.status.lastScheduleTime) : '<none>',
      ageOf(c),
    ],
  },
  Node: {
    columns: [NAME, col('Status'), col('Roles'), AGE, col('Version')],
    cells: n => {
      const ready =
        (n.status?.conditions ?? []).find((c: KObject) => c.type === 'Ready')
          ?.status === 'True';
      return [
        name(n),
        `${ready ? 'Ready' : 'NotReady'}${n.spec?.unschedulable ? ',SchedulingDisabled' : ''}`,
        '<none>',
        ageOf(n),
        n.status?.nodeInfo?.kubeletVersion ?? '',
      ];
    },
  },
  StorageClass: {
    columns: [
      NAME,
      col('Provisioner'),
      col('ReclaimPolicy'),
      col('VolumeBindingMode'),
      col('AllowVolumeExpansion', 'boolean'),
      AGE,
    ],
    cells: s => [
      name(s),
      s.provisioner,
      s.reclaimPolicy,
      s.volumeBindingMode,
      String(!!s.allowVolumeExpansion),
      ageOf(s),
    ],
  },
  Secret: {
    columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
    cells: s => [name(s), s.type, Object.keys(s.data ?? {}).length, ageOf(s)],
  },
  ConfigMap: {
    columns: [NAME, col('Data', 'integer'), AGE],
    cells: c => [
      name(c),
      Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length,
      ageOf(c),
    ],
  },
  DaemonSet: {
    columns: [
      NAME,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Node Selector'),
      AGE,
    ],
    cells: d => [
      name(d),
      d.status?.desiredNumberScheduled ?? 0,
      d.status?.currentNumberScheduled ?? 0,
      d.status?.numberReady ?? 0,
      d.status?.updatedNumberScheduled ?? 0,
      d.status?.numberAvailable ?? 0,
      Object.entries(d.spec?.template?.spec?.nodeSelector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || '<none>',
      ageOf(d),
    ],
  },
  Event: {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Message'),
    ],
    cells: e => [
      age(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp),
      e.type,
      e.reason,
      `${String(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
      e.message,
    ],
  },
  Endpoints: {
    columns: [NAME, col('Endpoints'), AGE],
    cells: e => {
      const eps = (e.subsets ?? []).flatMap((s: KObject) =>
        (s.addresses ?? []).flatMap((a: KObject) =>
          s.ports?.length
            ? s.ports.map((p: KObject) => `${a.ip}:${p.port}`)
            : [a.ip],
        ),
      );
      return [
        name(e),
        eps.length
          ? eps.slice(0, 3).join(',') +
            (eps.length > 3 ? ` + ${eps.length - 3} more...` : '')
          : '<none>',
        ageOf(e),
      ];
    },
  },
  // printResourceQuota: `used/hard` per resource, the limits.* ones apart
  ResourceQuota: {
    columns: [NAME, AGE, col('Request'), col('Limit')],
    cells: q => {
      const hard: Record<string, string> = q.status?.hard ?? {};
      const used: Record<string, string> = q.status?.used ?? {};
      const show = (limits: boolean) =>
        Object.keys(hard)
          .filter(k => k.startsWith('limits.') === limits)
          .sort()
          .map(k => `${k}: ${used[k] ?? '0'}/${hard[k]}`)
          .join(', ');
      return [name(q), ageOf(q), show(false), show(true)];
    },
  },
  LimitRange: {
    columns: [NAME, col('Created At')],
    cells: l => [name(l), l.metadata?.creationTimestamp ?? ''],
  },
  ServiceAccount: {
    columns: [NAME, col('Secrets', 'integer'), AGE],
    cells: s => [name(s), (s.secrets ?? []).length, ageOf(s)],
  },
  Ingress: {
    columns: [
      NAME,
      col('Class'),
      col('Hosts'),
      col('Address'),
      col('Ports'),
      AGE,
    ],
    cells: i => [
      name(i),
      i.spec?.ingressClassName ?? '<none>',
      (i.spec?.rules ?? []).map((r: KObject) => r.host ?? '*').join(',') || '*',
      (i.status?.loadBalancer?.ingress ?? [])
        .map((x: KObject) => x.ip ?? x.hostname)
        .join(','),
      i.spec?.tls?.length ? '80, 443' : '80',
      ageOf(i),
    ],
  },
  IngressClass: {
    columns: [NAME, col('Controller'), col('Parameters'), AGE],
    cells: c => {
      const p = c.spec?.parameters;
      const group = p?.apiGroup ? `.${p.apiGroup}` : '';
      return [
        name(c),
        c.spec?.controller,
        p ? `${p.kind}${group}/${p.name}` : '<none>',
        ageOf(c),
      ];
    },
  },
  CustomResourceDefinition: {
    columns: [NAME, col('Created At', 'date')],
    cells: c => [name(c), c.metadata?.creationTimestamp],
  },
  Route: {
    columns: [
      NAME,
      col('Host/Port'),
      col('Path'),
      col('Services'),
      col('Port'),
      col('Termination'),
      AGE,
    ],
    cells: r => [
      name(r),
      r.spec?.host,
      r.spec?.path ?? '',
      r.spec?.to?.name,
      r.spec?.port?.targetPort ?? '<all>',
      r.spec?.tls?.termination ?? '',
      ageOf(r),
    ],
  },
  ...DISCOVERY_PRINTERS,
};

const DEFAULT: Printer = {
  columns: [NAME, AGE],
  cells: o => [name(o), ageOf(o)],
};

/**
 * A CRD version's additionalPrinterColumns (simple `.a.b` JSONPaths) after Name, as the CRD handler's table
 * convertor serves them: Age only when the version declares no columns (the CRD's own Age column otherwise).
 */
export function crdPrinter(columns: KObject[] | undefined): Printer {
  if (!columns?.length) return DEFAULT;
  const cols = columns.map(c =>
    col(
      c.name,
      c.type === 'date' ? 'string' : c.type,
      c.priority ?? 0,
      c.format ?? '',
    ),
  );
  return {
    columns: [NAME, ...cols],
    cells: o => [
      name(o),
      ...columns.map(c => {
        const v = getPath(o, String(c.jsonPath).replace(/^\./, ''));
        return c.type === 'date' && typeof v === 'string' ? age(v) : (v ?? '');
      }),
    ],
  };
}

export function printerFor(
  kind: string,
  group: string,
  crdColumns?: KObject[],
): Printer {
  if (crdColumns !== undefined) return crdPrinter(crdColumns);
  const p = PRINTERS[kind];
  // Only the built-in group of that kind name gets its printer (apps Deployment, not some CRD's Deployment).
  const builtin = [
    '',
    'apps',
    'batch',
    'storage.k8s.io',
    'networking.k8s.io',
    'coordination.k8s.io',
    'discovery.k8s.io',
    'apiextensions.k8s.io',
    'route.openshift.io',
  ];
  return p && builtin.includes(group) ? p : DEFAULT;
}
