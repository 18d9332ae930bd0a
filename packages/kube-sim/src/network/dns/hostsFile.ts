import type { V1Service } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isLoopback } from '../address/addressPlan';
import { isHeadless } from '../kube/backends';
import type { ServiceEndpoints } from '../kube/serviceEndpoints';

export const CLUSTER_DOMAIN = 'cluster.local';

/**
 * The cluster DNS records a pod needs, as hosts-file lines: `<svc>.<ns>.svc.cluster.local` and
 * `<svc>.<ns>.svc` for every Service with a ClusterIP; for headless Services the ready endpoint addresses
 * (and `<hostname>.<svc>.<ns>.svc...` for endpoints with a hostname, as StatefulSet pods get). localhost
 * maps to 127.0.0.1 only, so no program tries ::1 (the shim refuses IPv6 sockets).
 */
export function renderClusterRecords(
  services: V1Service[],
  endpoints: (ns: string, name: string) => ServiceEndpoints | undefined,
): string[] {
  const lines: string[] = [];
  const sorted = [...services].sort((a, b) =>
    `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(
      `${b.metadata?.namespace}/${b.metadata?.name}`,
    ),
  );
  for (const svc of sorted) {
    const ns = svc.metadata?.namespace ?? '';
    const name = svc.metadata?.name ?? '';
    if (svc.spec?.type === 'ExternalName') continue; // a CNAME cannot be written in a hosts file
    const names = (prefix: string) =>
      `${prefix}${name}.${ns}.svc.${CLUSTER_DOMAIN} ${prefix}${name}.${ns}.svc`;
    if (!isHeadless(svc)) {
      const ip = svc.spec!.clusterIP!;
      if (isLoopback(ip)) lines.push(`${ip} ${names('')}`);
      continue;
    }
    for (const slice of endpoints(ns, name) ?? []) {
      for (const endpoint of slice.endpoints) {
        if (endpoint.conditions?.ready === false) continue;
        for (const ip of endpoint.addresses.filter(isLoopback)) {
          lines.push(`${ip} ${names('')}`);
          if (endpoint.hostname)
            lines.push(`${ip} ${names(`${endpoint.hostname}.`)}`);
        }
      }
    }
  }
  return lines;
}

/**
 * LoadBalancer Services whose status carries a hostname with an address (set by another load balancer
 * controller: ours hands out addresses only) are reachable by that name from every cluster of the world.
 */
export function loadBalancerNames(
  services: V1Service[],
): Array<{ ip: string; name: string }> {
  const out: Array<{ ip: string; name: string }> = [];
  for (const svc of services) {
    if (svc.spec?.type !== 'LoadBalancer') continue;
    for (const ingress of svc.status?.loadBalancer?.ingress ?? []) {
      if (ingress.hostname && ingress.ip && isLoopback(ingress.ip))
        out.push({ ip: ingress.ip, name: ingress.hostname });
    }
  }
  return out;
}

export function renderHostsFile(
  clusterRecords: string[],
  worldRecords: string,
): string {
  return [
    '# kube-sim cluster DNS (generated; rewritten in place on every change)',
    '127.0.0.1 localhost',
    ...clusterRecords,
    '# external names of the clusters of this world',
    worldRecords.trimEnd(),
    '',
  ].join('\n');
}

/**
 * Replaces the file's content without replacing the file: kubelets bind-mount it at /etc/hosts, and a bind
 * mount keeps pointing at the old inode after a rename. The new content is written first and the file cut
 * to its length after, so a reader never sees an empty file.
 */
export async function writeInPlace(
  file: string,
  content: string,
): Promise<boolean> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const handle = await fs.open(file, 'a+').then(async h => {
    await h.close();
    return fs.open(file, 'r+');
  });
  try {
    const current = await handle.readFile('utf8');
    if (current === content) return false;
    const data = Buffer.from(content);
    await handle.write(data, 0, data.length, 0);
    await handle.truncate(data.length);
    await handle.chmod(0o644);
    return true;
  } finally {
    await handle.close();
  }
}
