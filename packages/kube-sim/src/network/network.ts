import {
  ApisApi,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  V1Ingress,
  V1IngressClass,
  V1Service,
} from '@kubernetes/client-node';
import path from 'node:path';
import type { Network, NetworkOptions } from '../contracts';
import {
  loadBalancerNames,
  renderClusterRecords,
  renderHostsFile,
  writeInPlace,
} from './dns/hostsFile';
import { WorldNames } from './dns/world';
import { describeError } from '../client/errors';
import { R, type ResourceRef } from '../controllers/kube/resources';
import { RestClient } from '../controllers/kube/rest';
import type { EndpointSlice, Pod } from '../controllers/kube/types';
import { Informer, startInformer } from './kube/informer';
import { endpointSource } from './kube/serviceEndpoints';
import { ServiceProxy } from './proxy/serviceProxy';
import { Router } from './router/router';
import type { Route } from './router/table';
import { buildShim } from './shim/shim';

export interface StartNetworkOptions extends NetworkOptions {
  /** the cluster's default Route domain (ApiServerOptions.routeDomain); names router-default.<domain> */
  routeDomain?: string;
  /** the router's port, 443 unless a test needs another */
  routerPort?: number;
  /** false: no load balancer implementation, LoadBalancer Services stay pending (ServiceProxyOptions) */
  loadBalancer?: boolean;
  /** how long to wait for the first list of Services, Pods, EndpointSlices, Ingresses and IngressClasses */
  startTimeoutMs?: number;
  log?(msg: string): void;
}

export interface RunningNetwork extends Network {
  /** resolves after a full reconcile that started after this call (tests use it to wait for a change) */
  sync(): Promise<void>;
  /** whether the API server serves route.openshift.io/v1 (undefined until discovery answered) */
  routesServed(): boolean | undefined;
}

const INGRESSES: ResourceRef = {
  group: 'networking.k8s.io',
  version: 'v1',
  plural: 'ingresses',
  kind: 'Ingress',
  namespaced: true,
};
const INGRESS_CLASSES: ResourceRef = {
  group: 'networking.k8s.io',
  version: 'v1',
  plural: 'ingressclasses',
  kind: 'IngressClass',
  namespaced: false,
};
/** OpenShift's; watched only when discovery shows route.openshift.io/v1 is served */
const ROUTES: ResourceRef = {
  group: 'route.openshift.io',
  version: 'v1',
  plural: 'routes',
  kind: 'Route',
  namespaced: true,
};

const DEBOUNCE_MS = 20;
/** like an informer resync: retries what failed without a new event (a listen that hit EADDRINUSE) */
const RESYNC_MS = 10_000;
const DISCOVERY_RETRY_MS = 2000;

/** Whether the API server serves route.openshift.io/v1, from discovery as `oc`/the engine would see it. */
async function servesRoutes(apis: ApisApi): Promise<boolean> {
  const groups = await apis.getAPIVersions();
  return groups.groups.some(
    g =>
      g.name === 'route.openshift.io' &&
      g.versions.some(v => v.version === 'v1'),
  );
}

function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `kube-sim network: ${what} did not answer within ${ms} ms`,
            ),
          ),
        ms,
      );
    }),
  ]);
}

/**
 * The network part of one cluster: service proxy, Ingress/Route router, cluster DNS hosts file and the
 * world's external names, all driven by watches on the API server; plus the pod network shim the kubelet
 * preloads into container processes.
 */
export async function startNetwork(
  opts: StartNetworkOptions,
): Promise<RunningNetwork> {
  const log =
    opts.log ??
    ((msg: string) =>
      process.stderr.write(`kube-sim network [${opts.clusterName}]: ${msg}\n`));
  const kc = opts.kubeConfig;
  const core = kc.makeApiClient(CoreV1Api);
  const networking = kc.makeApiClient(NetworkingV1Api);
  const customObjects = kc.makeApiClient(CustomObjectsApi);
  const apis = kc.makeApiClient(ApisApi);
  // the informers' lists; plain JSON, as their watch events are
  const rest = new RestClient(kc);
  const hostsFile = path.join(opts.dataDir, 'dns', 'hosts');
  const routeDomain = opts.routeDomain ?? opts.clusterName;

  const shimPath = await buildShim();
  await writeInPlace(hostsFile, renderHostsFile([], ''));

  let stopped = false;
  // nothing is reconciled from half-filled caches: a Service without its pods yet would reset connections
  let synced = false;
  let worldRecords = '';
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let waiters: Array<() => void> = [];
  let routesServedFlag: boolean | undefined;
  let routes: Informer<Route> | undefined;
  let discoveryTimer: NodeJS.Timeout | undefined;
  let resync: NodeJS.Timeout | undefined;

  const kick = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void reconcileLoop();
    }, DEBOUNCE_MS);
  };
  const onError = (what: string) => (err: unknown) => {
    if (!stopped) log(`${what}: ${describeError(err)}`);
  };

  const services = startInformer<V1Service>({
    kubeConfig: kc,
    rest,
    resource: R.services,
    onChange: kick,
    onError: onError('services watch'),
  });
  // a Service's endpoints: the pods it selects, or the EndpointSlices of a Service without a selector
  const pods = startInformer<Pod>({
    kubeConfig: kc,
    rest,
    resource: R.pods,
    onChange: kick,
    onError: onError('pods watch'),
  });
  const slices = startInformer<EndpointSlice>({
    kubeConfig: kc,
    rest,
    resource: R.endpointslices,
    onChange: kick,
    onError: onError('endpointslices watch'),
  });
  const endpoints = endpointSource({ services, pods, slices });
  const ingresses = startInformer<V1Ingress>({
    kubeConfig: kc,
    rest,
    resource: INGRESSES,
    onChange: kick,
    onError: onError('ingresses watch'),
  });
  // a class created, changed or deleted later decides again which Ingresses are the router's
  const ingressClasses = startInformer<V1IngressClass>({
    kubeConfig: kc,
    rest,
    resource: INGRESS_CLASSES,
    onChange: kick,
    onError: onError('ingressclasses watch'),
  });

  const proxy = new ServiceProxy({
    address: opts.address,
    services,
    endpoints,
    core,
    log,
    kick,
    loadBalancer: opts.loadBalancer,
  });
  const router = new Router({
    routerIP: opts.address.routerIP,
    sourceIP: opts.address.nodeIP,
    port: opts.routerPort,
    routeDomain,
    services,
    endpoints,
    ingresses,
    ingressClasses,
    networking,
    customObjects,
    log,
    kick,
  });

  const world = new WorldNames(opts.worldDir, opts.clusterName, records => {
    worldRecords = records;
    kick();
  });

  const reconcileOnce = async () => {
    await proxy.reconcile();
    await router.reconcile();
    await world.publish([
      ...router
        .externalNames()
        .map(name => ({ ip: opts.address.routerIP, name })),
      ...loadBalancerNames(services.items()),
    ]);
    const records = renderClusterRecords(services.items(), (ns, name) =>
      endpoints.get(ns, name),
    );
    await writeInPlace(hostsFile, renderHostsFile(records, worldRecords));
  };

  // one reconcile at a time; changes during a run lead to exactly one more run
  async function reconcileLoop(): Promise<void> {
    if (running) {
      again = true;
      await running;
      return;
    }
    running = (async () => {
      do {
        again = false;
        const done = waiters;
        waiters = [];
        try {
          if (!stopped && synced) await reconcileOnce();
        } catch (err) {
          log(`reconcile: ${describeError(err)}`);
        }
        done.forEach(resolve => resolve());
      } while (again && !stopped);
    })();
    try {
      await running;
    } finally {
      running = undefined;
    }
  }

  const discover = async () => {
    try {
      routesServedFlag = await servesRoutes(apis);
      if (!routesServedFlag || stopped) return;
      routes = startInformer<Route>({
        kubeConfig: kc,
        rest,
        resource: ROUTES,
        onChange: kick,
        onError: onError('routes watch'),
      });
      router.useRoutes(routes);
      kick();
    } catch (err) {
      if (stopped) return;
      log(`discovery: ${describeError(err)}`);
      discoveryTimer = setTimeout(() => void discover(), DISCOVERY_RETRY_MS);
    }
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    if (discoveryTimer) clearTimeout(discoveryTimer);
    if (resync) clearInterval(resync);
    const informersStopped = Promise.all(
      [services, pods, slices, ingresses, ingressClasses, routes].map(i =>
        i?.stop(),
      ),
    );
    // ends a list still in flight, so stopping never waits on an API server that stopped answering
    rest.close();
    await informersStopped;
    await running?.catch(() => undefined);
    await Promise.all([proxy.stop(), router.stop(), world.stop()]);
    waiters.forEach(resolve => resolve());
    waiters = [];
  };

  try {
    await world.start();
    await Promise.all([
      withTimeout(
        Promise.all([
          services.ready,
          pods.ready,
          slices.ready,
          ingresses.ready,
          ingressClasses.ready,
        ]),
        opts.startTimeoutMs ?? 30_000,
        'the API server',
      ),
      discover(),
    ]);
    if (routes)
      await withTimeout(
        routes.ready,
        opts.startTimeoutMs ?? 30_000,
        'the routes list',
      );
    synced = true;
    await reconcileLoop();
    resync = setInterval(kick, RESYNC_MS);
    resync.unref();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    hostsFile,
    shimPath,
    stop,
    routesServed: () => routesServedFlag,
    sync: () =>
      new Promise<void>(resolve => {
        if (stopped) {
          resolve();
          return;
        }
        waiters.push(resolve);
        kick();
      }),
  };
}
