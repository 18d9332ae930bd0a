import type {
  CustomObjectsApi,
  NetworkingV1Api,
  V1Ingress,
  V1IngressClass,
  V1Service,
} from '@kubernetes/client-node';
import type net from 'node:net';
import type { Informer } from '../kube/informer';
import type { EndpointSource } from '../kube/serviceEndpoints';
import { StatusQueue } from '../kube/statusQueue';
import { writeStatus } from '../kube/statusWriter';
import { connectAny, RoundRobin, splice } from '../proxy/forward';
import { listenerKey, ListenerSet } from '../proxy/listeners';
import { MAX_CLIENT_HELLO, parseClientHello } from './sni';
import {
  desiredRouteIngress,
  ingressStatusIs,
  sameRouteIngress,
} from './status';
import { buildRouterTable, Route, RouterTable } from './table';

export interface RouterOptions {
  routerIP: string;
  /** the source address of connections to backends (the node IP) */
  sourceIP?: string;
  /** 443 unless a test needs another port */
  port?: number;
  routeDomain: string;
  services: Informer<V1Service>;
  /** the Services' endpoints, looked up per connection */
  endpoints: EndpointSource;
  ingresses: Informer<V1Ingress>;
  /** which Ingresses are ours depends on their class's controller */
  ingressClasses: Informer<V1IngressClass>;
  networking: NetworkingV1Api;
  customObjects: CustomObjectsApi;
  log(msg: string): void;
  kick(): void;
}

const HELLO_TIMEOUT_MS = 10_000;

/**
 * The Ingress/Route router: one listener on the router IP that reads the TLS ClientHello's SNI without
 * terminating TLS and pipes the raw connection to the endpoints of the Service behind the matching
 * passthrough Route or Ingress. Unknown names are closed. It also writes the Route and Ingress statuses
 * the OpenShift router and ingress-nginx write.
 */
export class Router {
  private readonly listeners: ListenerSet;
  private table: RouterTable = buildRouterTable([], [], [], '');
  private readonly rr = new Map<string, RoundRobin>();
  private readonly status: StatusQueue;
  /** set once discovery shows route.openshift.io/v1 is served */
  private routes?: Informer<Route>;

  constructor(private readonly opts: RouterOptions) {
    this.listeners = new ListenerSet(opts.log);
    this.status = new StatusQueue(opts.log, opts.kick);
  }

  get canonicalHostname(): string {
    return `router-default.${this.opts.routeDomain}`;
  }

  useRoutes(routes: Informer<Route>): void {
    this.routes = routes;
  }

  externalNames(): string[] {
    return this.table.externalNames;
  }

  async reconcile(): Promise<void> {
    const routes = this.routes?.items() ?? [];
    this.table = buildRouterTable(
      routes,
      this.opts.ingresses.items(),
      this.opts.ingressClasses.items(),
      this.opts.routeDomain,
    );
    for (const host of this.rr.keys())
      if (!this.table.hosts.has(host)) this.rr.delete(host);
    const key = listenerKey(this.opts.routerIP, this.opts.port ?? 443);
    await this.listeners.reconcile(
      new Map([[key, (socket: net.Socket) => this.accept(socket)]]),
    );
    this.writeRouteStatuses(routes);
    this.writeIngressStatuses();
    this.status.retain(
      new Set([
        ...routes.map(
          r => `route ${r.metadata?.namespace}/${r.metadata?.name}`,
        ),
        ...this.opts.ingresses
          .items()
          .map(i => `ingress ${i.metadata?.namespace}/${i.metadata?.name}`),
      ]),
    );
  }

  async stop(): Promise<void> {
    this.status.stop();
    await this.listeners.closeAll();
  }

  private accept(socket: net.Socket): void {
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const hello = parseClientHello(buffered);
      if (
        hello.kind === 'incomplete' &&
        buffered.length <= MAX_CLIENT_HELLO + 5 * 8
      )
        return;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.pause();
      const serverName = hello.kind === 'hello' ? hello.serverName : undefined;
      const target = serverName ? this.table.hosts.get(serverName) : undefined;
      if (!serverName || !target) {
        socket.destroy();
        return;
      }
      const service = this.opts.services.get(
        target.namespace,
        target.serviceName,
      );
      const endpoints = this.opts.endpoints.get(
        target.namespace,
        target.serviceName,
      );
      let rr = this.rr.get(serverName);
      if (!rr) this.rr.set(serverName, (rr = new RoundRobin()));
      void connectAny(
        rr.order(target.select(service, endpoints)),
        this.opts.sourceIP,
      ).then(upstream => {
        if (!upstream) socket.destroy();
        else if (socket.destroyed) upstream.destroy();
        else splice(socket, upstream, buffered);
      });
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => clearTimeout(timer));
    socket.resume();
  }

  private writeRouteStatuses(routes: Route[]): void {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const route of routes) {
      const ns = route.metadata?.namespace ?? '';
      const name = route.metadata?.name ?? '';
      const verdict = this.table.routes.get(`${ns}/${name}`);
      if (!verdict) continue;
      const wanted = desiredRouteIngress(
        route,
        verdict,
        this.canonicalHostname,
        now,
      );
      if (sameRouteIngress(route.status?.ingress, wanted)) continue;
      const api = {
        group: 'route.openshift.io',
        version: 'v1',
        plural: 'routes',
        namespace: ns,
        name,
      };
      this.status.schedule(
        `route ${ns}/${name}`,
        route.metadata?.resourceVersion,
        () =>
          writeStatus<Route>({
            current: route,
            read: () =>
              this.opts.customObjects.getNamespacedCustomObject(
                api,
              ) as Promise<Route>,
            apply: obj => {
              if (obj.metadata?.uid !== route.metadata?.uid) return undefined;
              const next = desiredRouteIngress(
                obj,
                verdict,
                this.canonicalHostname,
                now,
              );
              if (sameRouteIngress(obj.status?.ingress, next)) return undefined;
              return { ...obj, status: { ...obj.status, ingress: next } };
            },
            replace: body =>
              this.opts.customObjects.replaceNamespacedCustomObjectStatus({
                ...api,
                body,
              }),
          }),
      );
    }
  }

  private writeIngressStatuses(): void {
    const ip = this.opts.routerIP;
    for (const ingress of this.opts.ingresses.items()) {
      const ns = ingress.metadata?.namespace ?? '';
      const name = ingress.metadata?.name ?? '';
      if (
        !this.table.ingresses.has(`${ns}/${name}`) ||
        ingressStatusIs(ingress, ip)
      )
        continue;
      this.status.schedule(
        `ingress ${ns}/${name}`,
        ingress.metadata?.resourceVersion,
        () =>
          writeStatus<V1Ingress>({
            current: ingress,
            read: () =>
              this.opts.networking.readNamespacedIngress({
                namespace: ns,
                name,
              }),
            apply: obj => {
              if (
                obj.metadata?.uid !== ingress.metadata?.uid ||
                ingressStatusIs(obj, ip)
              )
                return undefined;
              return {
                ...obj,
                status: { ...obj.status, loadBalancer: { ingress: [{ ip }] } },
              };
            },
            replace: body =>
              this.opts.networking.replaceNamespacedIngressStatus({
                namespace: ns,
                name,
                body,
              }),
          }),
      );
    }
  }
}
