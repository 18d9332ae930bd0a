import type {
  CoreV1Api,
  V1Service,
  V1ServicePort,
} from '@kubernetes/client-node';
import type net from 'node:net';
import type { AddressPlan } from '../../contracts';
import { isLoopback } from '../address/addressPlan';
import { endpointsForServicePort, isHeadless } from '../kube/backends';
import type { Informer } from '../kube/informer';
import type { EndpointSource } from '../kube/serviceEndpoints';
import { StatusQueue } from '../kube/statusQueue';
import { writeStatus } from '../kube/statusWriter';
import { connectAny, RoundRobin, splice } from './forward';
import { LoadBalancerAllocator } from './lbAllocator';
import { ConnectionHandler, listenerKey, ListenerSet } from './listeners';

export interface ServiceProxyOptions {
  address: AddressPlan;
  services: Informer<V1Service>;
  /** the Services' endpoints, looked up per connection */
  endpoints: EndpointSource;
  core: CoreV1Api;
  log(msg: string): void;
  /** asks for another reconcile soon (debounced by the caller) */
  kick(): void;
  /**
   * false: no load balancer implementation, as on bare metal without MetalLB or a cloud controller.
   * LoadBalancer Services still get their node ports (kube-proxy's part) but no address, and nothing
   * writes their status, so they stay pending (default true)
   */
  loadBalancer?: boolean;
}

/**
 * What kube-proxy and a cloud's service controller do, on loopback: every TCP port of every Service with a
 * ClusterIP is listened on at clusterIP:port, NodePort Services also at nodeIP:nodePort, LoadBalancer
 * Services also at an address of the cluster's load balancer range, which is published in
 * status.loadBalancer.ingress. Connections go to a ready endpoint (round robin, the next on refusal) as
 * plain byte streams, so TLS passes through untouched.
 */
export class ServiceProxy {
  private readonly listeners: ListenerSet;
  private readonly lb: LoadBalancerAllocator;
  private readonly rr = new Map<string, RoundRobin>();
  private readonly status: StatusQueue;

  constructor(private readonly opts: ServiceProxyOptions) {
    this.listeners = new ListenerSet(opts.log);
    this.status = new StatusQueue(opts.log, opts.kick);
    this.lb = new LoadBalancerAllocator(opts.address.loadBalancerRange);
  }

  /** the LoadBalancer address held for a Service (by UID), if any */
  loadBalancerIP(uid: string): string | undefined {
    return this.lb.get(uid);
  }

  listening(): string[] {
    return this.listeners.keys();
  }

  async reconcile(): Promise<void> {
    const desired = new Map<string, ConnectionHandler>();
    const lbOwners = new Set<string>();
    for (const svc of this.opts.services.items()) {
      const ns = svc.metadata?.namespace ?? '';
      const name = svc.metadata?.name ?? '';
      const type = svc.spec?.type ?? 'ClusterIP';
      if (type === 'ExternalName' || isHeadless(svc)) continue;
      const clusterIP = svc.spec!.clusterIP!;
      const lbIP = this.loadBalancerAddress(svc, lbOwners);
      for (const port of svc.spec?.ports ?? []) {
        if ((port.protocol ?? 'TCP') !== 'TCP') continue; // UDP/SCTP are not proxied here
        const handler = this.handlerFor(ns, name, port);
        if (isLoopback(clusterIP))
          desired.set(listenerKey(clusterIP, port.port), handler);
        if ((type === 'NodePort' || type === 'LoadBalancer') && port.nodePort) {
          desired.set(
            listenerKey(this.opts.address.nodeIP, port.nodePort),
            handler,
          );
        }
        if (lbIP) desired.set(listenerKey(lbIP, port.port), handler);
      }
    }
    for (const owner of this.lb.owners()) {
      if (!lbOwners.has(owner)) this.lb.release(owner);
    }
    for (const key of this.rr.keys())
      if (!desired.has(key)) this.rr.delete(key);
    await this.listeners.reconcile(desired);
    this.writeStatuses();
  }

  async stop(): Promise<void> {
    this.status.stop();
    await this.listeners.closeAll();
  }

  /** LoadBalancer Services of no class (or another class is someone else's, as in a real cluster) */
  private loadBalancerAddress(
    svc: V1Service,
    owners: Set<string>,
  ): string | undefined {
    if (
      this.opts.loadBalancer === false ||
      svc.spec?.type !== 'LoadBalancer' ||
      svc.spec.loadBalancerClass
    )
      return undefined;
    const uid =
      svc.metadata?.uid ?? `${svc.metadata?.namespace}/${svc.metadata?.name}`;
    owners.add(uid);
    const seen = (svc.status?.loadBalancer?.ingress ?? []).map(i => i.ip ?? '');
    const ip = this.lb.allocate(uid, [...seen, svc.spec.loadBalancerIP ?? '']);
    if (!ip)
      this.opts.log(
        `no free LoadBalancer address for ${svc.metadata?.namespace}/${svc.metadata?.name}`,
      );
    return ip;
  }

  private handlerFor(
    namespace: string,
    name: string,
    port: V1ServicePort,
  ): ConnectionHandler {
    return (socket: net.Socket) => {
      const key = `${socket.localAddress}:${socket.localPort}`;
      let rr = this.rr.get(key);
      if (!rr) this.rr.set(key, (rr = new RoundRobin()));
      // endpoints are looked up per connection so that a change applies to the next connection at once
      const backends = endpointsForServicePort(
        this.opts.endpoints.get(namespace, name),
        port,
      );
      void connectAny(rr.order(backends), this.opts.address.nodeIP).then(
        upstream => {
          if (!upstream) socket.resetAndDestroy();
          else if (socket.destroyed) upstream.destroy();
          else splice(socket, upstream);
        },
      );
    };
  }

  /** status.loadBalancer of every Service whose published address differs from what we hold */
  private writeStatuses(): void {
    // status.loadBalancer is the service controller's, and without an implementation there is none
    if (this.opts.loadBalancer === false) return;
    const keys = new Set<string>();
    for (const svc of this.opts.services.items()) {
      const ns = svc.metadata?.namespace ?? '';
      const name = svc.metadata?.name ?? '';
      const uid = svc.metadata?.uid ?? `${ns}/${name}`;
      const ip = this.lb.get(uid);
      if (svc.spec?.type === 'LoadBalancer' && svc.spec.loadBalancerClass)
        continue; // another controller's
      const isOurs = svc.spec?.type === 'LoadBalancer';
      const current = svc.status?.loadBalancer?.ingress ?? [];
      // a Service that stopped being a LoadBalancer loses its ingress, as the service controller does
      let wanted: typeof current = [];
      if (isOurs) wanted = ip ? [{ ip }] : current;
      if (sameIngress(current, wanted)) continue;
      const key = `service ${ns}/${name}`;
      keys.add(key);
      this.status.schedule(key, svc.metadata?.resourceVersion, () =>
        writeStatus<V1Service>({
          current: svc,
          read: () =>
            this.opts.core.readNamespacedService({ namespace: ns, name }),
          apply: obj => {
            if (obj.metadata?.uid !== svc.metadata?.uid) return undefined;
            if (sameIngress(obj.status?.loadBalancer?.ingress ?? [], wanted))
              return undefined;
            return {
              ...obj,
              status: {
                ...obj.status,
                loadBalancer: wanted.length ? { ingress: wanted } : {},
              },
            };
          },
          replace: body =>
            this.opts.core.replaceNamespacedServiceStatus({
              namespace: ns,
              name,
              body,
            }),
        }),
      );
    }
    this.status.retain(keys);
  }
}

function sameIngress(
  a: Array<{ ip?: string; hostname?: string }>,
  b: Array<{ ip?: string; hostname?: string }>,
): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => x.ip === b[i].ip && x.hostname === b[i].hostname)
  );
}
