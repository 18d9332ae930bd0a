/**
 * What the Service REST storage does with addresses: allocate a ClusterIP from the cluster's service range
 * and NodePorts from 30000-32767, reject ones already taken, and keep allocated values on updates that omit
 * them (pkg/registry/core/service/storage). The store is the allocation map: single-threaded writes make
 * scan-then-create atomic.
 */
import type { AdmissionPlugin } from '.';
import type { AddressPlan } from '../../contracts';
import { type FieldError, invalid, invalidObject } from '../errors';
import type { KObject } from '../registry/types';
import type { Store } from '../store';

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

const ipToInt = (ip: string) =>
  ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const intToIp = (n: number) =>
  [24, 16, 8, 0].map(s => Math.floor(n / 2 ** s) % 256).join('.');

function usesClusterIP(svc: KObject): boolean {
  return svc.spec?.type !== 'ExternalName' && svc.spec?.clusterIP !== 'None';
}

function usesNodePorts(svc: KObject): boolean {
  const t = svc.spec?.type;
  if (t === 'NodePort') return true;
  return (
    t === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false
  );
}

export function serviceAllocation(
  store: Store,
  address: AddressPlan,
): AdmissionPlugin {
  const others = (svc: KObject) =>
    store
      .list('services')
      .filter(
        s =>
          !(
            s.metadata.namespace === svc.metadata.namespace &&
            s.metadata.name === svc.metadata.name
          ),
      );
  const usedIPs = (svc: KObject) =>
    new Set(
      others(svc)
        .map(s => s.spec?.clusterIP)
        .filter(Boolean),
    );
  const usedPorts = (svc: KObject) =>
    new Set(
      others(svc)
        .flatMap(s => (s.spec?.ports ?? []).map((p: KObject) => p.nodePort))
        .filter(Boolean),
    );

  function allocate(svc: KObject, errs: FieldError[]): void {
    if (usesClusterIP(svc)) {
      const used = usedIPs(svc);
      const first = ipToInt(address.serviceRange.first);
      const last = ipToInt(address.serviceRange.last);
      const ip = svc.spec.clusterIP;
      if (ip) {
        const n = ipToInt(ip);
        if (n < first || n > last)
          errs.push(
            invalid(
              'spec.clusterIPs',
              [ip],
              `failed to allocate IP ${ip}: provided IP is not in the valid range. The range of valid IPs is ${address.serviceRange.first}-${address.serviceRange.last}`,
            ),
          );
        else if (used.has(ip))
          errs.push(
            invalid(
              'spec.clusterIPs',
              [ip],
              `failed to allocate IP ${ip}: provided IP is already allocated`,
            ),
          );
      } else {
        let found: string | undefined;
        for (let n = first; n <= last && !found; n++)
          if (!used.has(intToIp(n))) found = intToIp(n);
        if (!found)
          errs.push(
            invalid(
              'spec.clusterIPs',
              [],
              'failed to allocate IP: range is full',
            ),
          );
        else svc.spec.clusterIP = found;
      }
      if (svc.spec.clusterIP) svc.spec.clusterIPs = [svc.spec.clusterIP];
    } else if (svc.spec?.clusterIP === 'None') svc.spec.clusterIPs = ['None'];
    if (usesNodePorts(svc)) {
      const used = usedPorts(svc);
      (svc.spec.ports ?? []).forEach((p: KObject, i: number) => {
        if (p.nodePort) {
          if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX)
            errs.push(
              invalid(
                `spec.ports[${i}].nodePort`,
                p.nodePort,
                `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
              ),
            );
          else if (used.has(p.nodePort))
            errs.push(
              invalid(
                `spec.ports[${i}].nodePort`,
                p.nodePort,
                'provided port is already allocated',
              ),
            );
          used.add(p.nodePort);
          return;
        }
        for (let port = NODE_PORT_MIN; port <= NODE_PORT_MAX; port++) {
          if (!used.has(port)) {
            p.nodePort = port;
            used.add(port);
            return;
          }
        }
        errs.push(
          invalid(
            `spec.ports[${i}].nodePort`,
            p.nodePort ?? 0,
            'range is full',
          ),
        );
      });
    }
  }

  return {
    admitCreate(d, obj) {
      if (d.kind !== 'Service' || d.group) return;
      const errs: FieldError[] = [];
      allocate(obj, errs);
      if (errs.length)
        throw invalidObject('Service', '', obj.metadata.name, errs);
    },
    admitUpdate(d, obj, old) {
      if (d.kind !== 'Service' || d.group) return;
      obj.spec ??= {};
      // patchAllocatedValues: an update that leaves them out keeps what was allocated.
      if (usesClusterIP(obj) && usesClusterIP(old) && !obj.spec.clusterIP) {
        obj.spec.clusterIP = old.spec.clusterIP;
        obj.spec.clusterIPs = old.spec.clusterIPs;
      }
      const oldPorts: KObject[] = old.spec?.ports ?? [];
      if (usesNodePorts(obj) && usesNodePorts(old)) {
        for (const p of obj.spec.ports ?? []) {
          const match = oldPorts.find(
            o =>
              o.port === p.port &&
              (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
          );
          if (!p.nodePort && match?.nodePort) p.nodePort = match.nodePort;
        }
      }
      // dropTypeDependentFields: leaving NodePort/LoadBalancer releases the node ports that were not changed.
      if (!usesNodePorts(obj) && usesNodePorts(old)) {
        for (const p of obj.spec.ports ?? []) {
          if (oldPorts.some(o => o.nodePort === p.nodePort)) delete p.nodePort;
        }
      }
      if (
        obj.spec.type === 'ExternalName' &&
        old.spec?.type !== 'ExternalName'
      ) {
        delete obj.spec.clusterIP;
        delete obj.spec.clusterIPs;
      }
      const errs: FieldError[] = [];
      allocate(obj, errs);
      if (errs.length)
        throw invalidObject('Service', '', obj.metadata.name, errs);
    },
  };
}
