import type {
  V1Ingress,
  V1IngressClass,
  V1Node,
  V1Service,
} from '@kubernetes/client-node';
import {
  endpointFor,
  EndpointTimeoutError,
  selectEndpoint,
  SSL_PASSTHROUGH,
  waitForAddress,
  type EndpointContext,
  type Route,
} from '.';

const ctx: EndpointContext = {
  transferId: 't1',
  namespace: 'dest',
  name: 'nst-t1-endpoint',
  labels: { 'namespace-transfer.io/transfer-id': 't1' },
  selector: {
    'namespace-transfer.io/transfer-id': 't1',
    'namespace-transfer.io/role': 'server',
  },
  targetPort: 8443,
  host: 'nst-t1.apps.example.test',
  ingressClassName: 'nginx',
  defaultSni: 'server.t1.transfer.namespace-transfer.io',
};

const svc = (patch: Partial<V1Service>): V1Service => ({
  spec: {
    ports: [{ name: 'transfer', port: 8443, nodePort: 31234 }],
    clusterIP: '10.0.0.5',
  },
  ...patch,
});

describe('endpoints', () => {
  it('clusterip: a Service selecting the server pod, addressed by its cluster DNS name', () => {
    const e = endpointFor('clusterip');
    const [service] = e.objects(ctx) as V1Service[];
    expect(service.kind).toBe('Service');
    expect(service.spec!.type).toBe('ClusterIP');
    expect(service.spec!.selector).toEqual(ctx.selector);
    expect(service.spec!.ports![0]).toMatchObject({
      name: 'transfer',
      port: 8443,
      targetPort: 'transfer',
    });
    expect(e.address(ctx, {})).toBeUndefined();
    expect(e.address(ctx, { service: svc({}) })).toEqual({
      host: 'nst-t1-endpoint.dest.svc.cluster.local',
      port: 8443,
      sni: 'nst-t1-endpoint.dest.svc.cluster.local',
    });
  });

  it('nodeport: the node port on a Ready node, external address first', () => {
    const e = endpointFor('nodeport');
    const nodes: V1Node[] = [
      {
        status: {
          conditions: [{ type: 'Ready', status: 'False' }],
          addresses: [{ type: 'ExternalIP', address: '1.1.1.1' }],
        },
      },
      {
        status: {
          conditions: [{ type: 'Ready', status: 'True' }],
          addresses: [
            { type: 'InternalIP', address: '127.40.0.1' },
            { type: 'ExternalIP', address: '127.40.0.9' },
          ],
        },
      },
    ];
    expect(e.address(ctx, { service: svc({}) })).toBeUndefined();
    expect(e.address(ctx, { service: svc({}), nodes })).toEqual({
      host: '127.40.0.9',
      port: 31234,
      sni: ctx.defaultSni,
    });
  });

  it('loadbalancer: waits for status.loadBalancer.ingress', () => {
    const e = endpointFor('loadbalancer');
    expect((e.objects(ctx)[0] as V1Service).spec!.type).toBe('LoadBalancer');
    expect(
      e.address(ctx, { service: svc({ status: { loadBalancer: {} } }) }),
    ).toBeUndefined();
    expect(
      e.address(ctx, {
        service: svc({
          status: { loadBalancer: { ingress: [{ ip: '127.40.128.1' }] } },
        }),
      }),
    ).toEqual({
      host: '127.40.128.1',
      port: 8443,
      sni: ctx.defaultSni,
    });
  });

  it('ingress: passthrough annotation, host rule, dialled on 443 with SNI = host', () => {
    const e = endpointFor('ingress');
    const objs = e.objects(ctx);
    expect(objs.map(o => o.kind)).toEqual(['Service', 'Ingress']);
    const ing = objs[1] as V1Ingress;
    expect(ing.metadata!.annotations![SSL_PASSTHROUGH]).toBe('true');
    expect(ing.spec!.ingressClassName).toBe('nginx');
    expect(ing.spec!.rules![0].host).toBe(ctx.host);
    expect(ing.spec!.rules![0].http!.paths[0].backend.service).toEqual({
      name: ctx.name,
      port: { name: 'transfer' },
    });
    expect(e.address(ctx, { ingress: ing })).toBeUndefined();
    const ready = {
      ...ing,
      status: { loadBalancer: { ingress: [{ ip: '127.40.0.2' }] } },
    };
    expect(e.address(ctx, { ingress: ready })).toEqual({
      host: ctx.host,
      port: 443,
      sni: ctx.host,
    });
    expect(() => e.objects({ ...ctx, host: undefined })).toThrow(/host/);
  });

  it('route: passthrough, ready when admitted; the router may assign the host', () => {
    const e = endpointFor('route');
    const route = e.objects({ ...ctx, host: undefined })[1] as Route;
    expect(route.apiVersion).toBe('route.openshift.io/v1');
    expect(route.spec.tls).toEqual({
      termination: 'passthrough',
      insecureEdgeTerminationPolicy: 'None',
    });
    expect(route.spec.to).toEqual({
      kind: 'Service',
      name: ctx.name,
      weight: 100,
    });
    expect(route.spec.host).toBeUndefined();
    expect(e.address(ctx, { route })).toBeUndefined();
    const admitted: Route = {
      ...route,
      status: {
        ingress: [
          {
            host: 'nst-t1-endpoint-dest.apps.west',
            conditions: [{ type: 'Admitted', status: 'True' }],
          },
        ],
      },
    };
    expect(e.address(ctx, { route: admitted })).toEqual({
      host: 'nst-t1-endpoint-dest.apps.west',
      port: 443,
      sni: 'nst-t1-endpoint-dest.apps.west',
    });
  });
});

describe('selectEndpoint', () => {
  const facts = {
    sameCluster: false,
    routeApiServed: false,
    ingressConfigured: false,
  };
  it('auto picks by discovery', () => {
    expect(selectEndpoint('auto', { ...facts, sameCluster: true }).kind).toBe(
      'clusterip',
    );
    expect(
      selectEndpoint('auto', { ...facts, routeApiServed: true }).kind,
    ).toBe('route');
    expect(selectEndpoint('auto', facts).kind).toBe('loadbalancer');
    expect(
      selectEndpoint('auto', {
        ...facts,
        loadBalancerAvailable: false,
        ingressConfigured: true,
      }).kind,
    ).toBe('ingress');
    expect(
      selectEndpoint('auto', { ...facts, loadBalancerAvailable: false }).kind,
    ).toBe('nodeport');
    expect(
      selectEndpoint('auto', {
        ...facts,
        loadBalancerAvailable: false,
        nodePortReachable: false,
      }),
    ).toHaveProperty('refusal');
  });
  it('refuses explicit choices the destination cannot serve', () => {
    expect(selectEndpoint('clusterip', facts)).toHaveProperty('refusal');
    expect(selectEndpoint('route', facts)).toHaveProperty('refusal');
    expect(selectEndpoint('ingress', facts)).toHaveProperty('refusal');
    expect(selectEndpoint('nodeport', facts)).toEqual({
      kind: 'nodeport',
      reason: 'requested explicitly',
    });
  });

  const ingressClass = (
    name: string,
    controller = 'k8s.io/ingress-nginx',
    isDefault = false,
  ): V1IngressClass => ({
    metadata: {
      name,
      annotations: isDefault
        ? { 'ingressclass.kubernetes.io/is-default-class': 'true' }
        : {},
    },
    spec: { controller },
  });
  const west = { ...facts, cluster: 'west', ingressConfigured: true };

  it('refuses node ports when no Ready node of the destination has an address', () => {
    expect(
      selectEndpoint('nodeport', { ...west, nodePortReachable: false }),
    ).toEqual({
      refusal:
        'nodeport requested, but no Ready node in cluster west has an address',
    });
    expect(
      selectEndpoint('nodeport', { ...west, nodePortReachable: true }),
    ).toMatchObject({ kind: 'nodeport' });
  });

  it('refuses an ingress class that does not exist, naming it and the classes that do', () => {
    const sel = selectEndpoint('ingress', {
      ...west,
      ingressClassName: 'missing',
      ingressClasses: [
        ingressClass('nginx', undefined, true),
        ingressClass('traefik'),
      ],
    });
    expect(sel).toEqual({
      refusal:
        'ingress requested, but cluster west has no IngressClass "missing" (its classes are nginx, traefik)',
    });
    expect(
      selectEndpoint('ingress', {
        ...west,
        ingressClassName: 'missing',
        ingressClasses: [],
      }),
    ).toEqual({
      refusal:
        'ingress requested, but cluster west has no IngressClass "missing" (it has no IngressClass)',
    });
  });

  it('without a named class needs a default one, as the admission plugin assigns it', () => {
    const noDefault = selectEndpoint('ingress', {
      ...west,
      ingressClasses: [ingressClass('nginx')],
    });
    expect(noDefault).toHaveProperty(
      'refusal',
      expect.stringMatching(
        /no ingress class was named and cluster west has no default IngressClass .*its classes are nginx/,
      ),
    );
    expect(
      selectEndpoint('ingress', {
        ...west,
        ingressClasses: [ingressClass('nginx', undefined, true)],
      }),
    ).toEqual({ kind: 'ingress', reason: 'requested explicitly' });
    // unknown classes (unreadable, not served): nothing to refuse on
    expect(selectEndpoint('ingress', west)).toMatchObject({ kind: 'ingress' });
  });

  it('warns when the class belongs to a controller other than ingress-nginx', () => {
    const sel = selectEndpoint('ingress', {
      ...west,
      ingressClassName: 'traefik',
      ingressClasses: [
        ingressClass('traefik', 'traefik.io/ingress-controller'),
      ],
    });
    expect(sel).toMatchObject({ kind: 'ingress' });
    expect('warnings' in sel && sel.warnings).toEqual([
      expect.stringMatching(
        /IngressClass "traefik" in cluster west belongs to controller traefik.io\/ingress-controller, not k8s.io\/ingress-nginx.*ssl-passthrough/,
      ),
    ]);
  });

  const pending =
    'Service shop/web has waited for a load balancer address since 2024-05-01T09:30:00.000Z';

  it('refuses an explicit load balancer shown missing, naming the cluster and the pending Service', () => {
    expect(
      selectEndpoint('loadbalancer', {
        ...west,
        loadBalancerAvailable: false,
        loadBalancerEvidence: pending,
      }),
    ).toEqual({
      refusal: `loadbalancer requested, but cluster west has no load balancer (${pending})`,
    });
    // unknown (nothing pending long enough, or not readable): the run finds out
    expect(selectEndpoint('loadbalancer', west)).toEqual({
      kind: 'loadbalancer',
      reason: 'requested explicitly',
    });
  });

  it('auto passes a load balancer shown missing and says why in its reason', () => {
    const sel = selectEndpoint('auto', {
      ...west,
      loadBalancerAvailable: false,
      loadBalancerEvidence: pending,
      ingressClasses: [ingressClass('nginx', undefined, true)],
    });
    expect(sel).toEqual({
      kind: 'ingress',
      reason: `no load balancer: an Ingress with TLS passthrough; loadbalancer skipped: cluster west has no load balancer (${pending})`,
    });
    const nodeport = selectEndpoint('auto', {
      ...west,
      ingressConfigured: false,
      loadBalancerAvailable: false,
      loadBalancerEvidence: pending,
    });
    expect(nodeport).toEqual({
      kind: 'nodeport',
      reason: `no load balancer or ingress: a NodePort Service; loadbalancer skipped: cluster west has no load balancer (${pending}); ingress skipped: no host domain for ingress hosts is configured`,
    });
    // what only follows from the two clusters' relation stays out of the reason
    expect(
      selectEndpoint('auto', { ...west, loadBalancerAvailable: true }),
    ).toEqual({
      kind: 'loadbalancer',
      reason: 'another cluster without Routes: a LoadBalancer Service',
    });
  });

  it('auto skips exposures known not to work and says why when none is left', () => {
    const noLb = { ...west, loadBalancerAvailable: false };
    expect(
      selectEndpoint('auto', {
        ...noLb,
        ingressClassName: 'missing',
        ingressClasses: [ingressClass('nginx', undefined, true)],
      }),
    ).toMatchObject({ kind: 'nodeport' });
    const none = selectEndpoint('auto', {
      ...noLb,
      ingressClasses: [],
      nodePortReachable: false,
    });
    expect(none).toEqual({
      refusal: expect.stringMatching(
        /^no exposure can reach cluster west from the source cluster \(/,
      ),
    });
    const why = 'refusal' in none ? none.refusal : '';
    expect(why).toContain(
      'route: cluster west does not serve route.openshift.io/v1',
    );
    expect(why).toContain('loadbalancer: cluster west has no load balancer');
    expect(why).toContain('ingress: no ingress class was named');
    expect(why).toContain(
      'nodeport: no Ready node in cluster west has an address',
    );
  });
});

describe('waitForAddress', () => {
  it('returns once the cluster filled in the address', async () => {
    let reads = 0;
    const address = await waitForAddress(endpointFor('loadbalancer'), ctx, {
      timeoutMs: 10_000,
      sleep: async () => undefined,
      read: async () =>
        ++reads < 3
          ? { service: svc({}) }
          : {
              service: svc({
                status: { loadBalancer: { ingress: [{ ip: '127.9.0.1' }] } },
              }),
            },
    });
    expect(address.host).toBe('127.9.0.1');
    expect(reads).toBe(3);
  });
  it('times out with a message that names the exposure that never got an address', async () => {
    let t = 0;
    const p = waitForAddress(endpointFor('loadbalancer'), ctx, {
      timeoutMs: 5000,
      now: () => t,
      sleep: async ms => {
        t += ms;
      },
      read: async () => ({ service: svc({}) }),
    });
    await expect(p).rejects.toBeInstanceOf(EndpointTimeoutError);
    await expect(p).rejects.toThrow(
      /loadbalancer endpoint never got an address: waited 5s for a load balancer address .* Service dest\/nst-t1-endpoint/,
    );
  });
});
