/** Which rights each flow needs, derived from the tagged rules of the shipped roles. */
import {
  COPY_ROLE_RULES,
  NODEPORT_GRANTS,
  REBIND_CLUSTER_ROLE_RULES,
  rulesAllow,
} from '../rbac';
import {
  rightsFor,
  rightsVerdict,
  type Right,
  type TransferFlow,
} from './rights';

const copy = (extra: Partial<TransferFlow> = {}): TransferFlow => ({
  mode: 'copy',
  intent: 'clone',
  endpoint: 'clusterip',
  quiesces: [],
  ...extra,
});

/** `side verb group/resource[/sub]`, sorted: easy to read in a failure. */
const lines = (rights: Right[]) =>
  rights
    .map(
      r =>
        `${r.side} ${r.verb} ${r.group || 'core'}/${r.resource}${r.subresource ? `/${r.subresource}` : ''}`,
    )
    .sort();

const has = (rights: Right[], line: string) => lines(rights).includes(line);

describe('rightsFor', () => {
  it('a ClusterIP clone: mover pods, keys and configs on both sides, the Service in the destination only', () => {
    const r = rightsFor(copy());
    for (const side of ['source', 'destination'])
      for (const line of [
        'create core/pods',
        'watch core/pods',
        'delete core/pods',
        'create core/secrets',
        'create core/configmaps',
        'get core/persistentvolumeclaims',
        'list core/services',
        'list networking.k8s.io/ingresses',
      ])
        expect({ side, line, needed: has(r, `${side} ${line}`) }).toEqual({
          side,
          line,
          needed: true,
        });
    expect(has(r, 'destination create core/services')).toBe(true);
    expect(has(r, 'source create core/services')).toBe(false);
    expect(has(r, 'destination create core/persistentvolumeclaims')).toBe(true);
    // the rollback removes the destination claim it made
    expect(has(r, 'destination delete core/persistentvolumeclaims')).toBe(true);
    expect(has(r, 'source get core/pods/log')).toBe(true);
    // a clone neither marks nor deletes its source, and nothing is quiesced here
    expect(has(r, 'source update core/persistentvolumeclaims')).toBe(false);
    expect(has(r, 'source delete core/persistentvolumeclaims')).toBe(false);
    expect(lines(r).filter(l => l.includes(' update '))).toEqual([]);
    // nothing of other exposures, nothing cluster-scoped
    expect(lines(r).filter(l => /ingresses|routes|nodes/.test(l))).toEqual([
      'destination list networking.k8s.io/ingresses',
      'source list networking.k8s.io/ingresses',
    ]);
    expect(r.filter(x => x.clusterScoped)).toEqual([]);
  });

  it('a move marks its source claim; asked to, deletes it', () => {
    expect(
      has(
        rightsFor(copy({ intent: 'move' })),
        'source update core/persistentvolumeclaims',
      ),
    ).toBe(true);
    const deleting = rightsFor(copy({ intent: 'move', deleteSource: true }));
    expect(has(deleting, 'source delete core/persistentvolumeclaims')).toBe(
      true,
    );
  });

  it('each exposure adds what exposes the Service', () => {
    const added = (endpoint: TransferFlow['endpoint'], extra = {}) => {
      const base = new Set(lines(rightsFor(copy())));
      return lines(rightsFor(copy({ endpoint, ...extra }))).filter(
        l => !base.has(l),
      );
    };
    expect(added('loadbalancer')).toEqual([]);
    expect(added('ingress')).toEqual([
      'destination create networking.k8s.io/ingresses',
      'destination delete networking.k8s.io/ingresses',
      'destination get networking.k8s.io/ingresses',
    ]);
    expect(added('route', { routeApiServed: true })).toEqual([
      'destination create route.openshift.io/routes',
      'destination create route.openshift.io/routes/custom-host',
      'destination delete route.openshift.io/routes',
      'destination get route.openshift.io/routes',
      'destination list route.openshift.io/routes',
    ]);
    expect(added('nodeport')).toEqual(['destination list core/nodes']);
    expect(
      rightsFor(copy({ endpoint: 'nodeport' })).find(
        r => r.resource === 'nodes',
      )?.clusterScoped,
    ).toBe(true);
  });

  it('quiesce updates the kinds it stops, and restore the copies their controllers made', () => {
    const r = rightsFor(copy({ quiesces: ['Deployment'] }));
    for (const line of [
      'source get apps/deployments',
      'source update apps/deployments',
      'source update apps/replicasets',
      'source list core/replicationcontrollers',
    ])
      expect({ line, needed: has(r, line) }).toEqual({ line, needed: true });
    expect(has(r, 'source update apps/statefulsets')).toBe(false);
    expect(has(r, 'source update core/replicationcontrollers')).toBe(false);
    const dc = rightsFor(copy({ quiesces: ['DeploymentConfig'] }));
    expect(has(dc, 'source update apps.openshift.io/deploymentconfigs')).toBe(
      true,
    );
    expect(has(dc, 'source update core/replicationcontrollers')).toBe(true);
  });

  it('a rebind: the volume cluster-wide, claims on both sides, waiting for the pods to stop', () => {
    const r = rightsFor({
      mode: 'rebind',
      intent: 'move',
      quiesces: ['StatefulSet'],
    });
    expect(r.filter(x => x.clusterScoped).map(x => x.verb)).toEqual([
      'get',
      'update',
    ]);
    for (const line of [
      'source get core/persistentvolumes',
      'source update core/persistentvolumes',
      'source delete core/persistentvolumeclaims',
      'destination create core/persistentvolumeclaims',
      'source watch core/pods',
      'source update apps/statefulsets',
    ])
      expect({ line, needed: has(r, line) }).toEqual({ line, needed: true });
    // no mover pods, no Services, never a PersistentVolume deleted, none of the KEP controller's own
    expect(
      lines(r).filter(l =>
        /create core\/pods|services|delete core\/persistentvolumes|transfer\./.test(
          l,
        ),
      ),
    ).toEqual([]);
  });

  it('asks only for what the shipped roles grant', () => {
    const flows: TransferFlow[] = [
      copy({
        intent: 'move',
        deleteSource: true,
        quiesces: [
          'Deployment',
          'StatefulSet',
          'DaemonSet',
          'CronJob',
          'DeploymentConfig',
          'ReplicaSet',
        ],
      }),
      copy({ endpoint: 'ingress' }),
      copy({ endpoint: 'route', routeApiServed: true }),
    ];
    for (const flow of flows)
      for (const r of rightsFor(flow).filter(x => x.resource !== 'nodes'))
        expect({
          r,
          granted: rulesAllow(COPY_ROLE_RULES, { ...r, apiGroup: r.group }),
        }).toEqual({
          r,
          granted: true,
        });
    for (const r of rightsFor({
      mode: 'rebind',
      intent: 'move',
      quiesces: ['Deployment', 'DeploymentConfig'],
    }))
      expect({
        r,
        granted: rulesAllow(REBIND_CLUSTER_ROLE_RULES, {
          ...r,
          apiGroup: r.group,
        }),
      }).toEqual({
        r,
        granted: true,
      });
    expect(NODEPORT_GRANTS).toHaveLength(1);
  });
});

describe('rightsVerdict', () => {
  it('refuses once per missing right, worded as a 403, and passes the unchecked on as warnings', () => {
    const identity = 'system:serviceaccount:nst:engine';
    const verdict = rightsVerdict({
      missing: [
        {
          side: 'destination',
          verb: 'create',
          group: '',
          resource: 'services',
          clusterScoped: false,
          namespace: 'shop',
          identity,
        },
        {
          side: 'destination',
          verb: 'create',
          group: 'route.openshift.io',
          resource: 'routes',
          subresource: 'custom-host',
          clusterScoped: false,
          namespace: 'shop',
          identity,
        },
        {
          side: 'source',
          verb: 'update',
          group: '',
          resource: 'persistentvolumes',
          clusterScoped: true,
          identity,
        },
      ],
      unchecked: ['could not check'],
    });
    expect(verdict).toEqual({
      refusals: [
        'forbidden: cannot create services in namespace shop (as system:serviceaccount:nst:engine)',
        'forbidden: cannot create routes/custom-host.route.openshift.io in namespace shop (as system:serviceaccount:nst:engine)',
        'forbidden: cannot update persistentvolumes cluster-wide (as system:serviceaccount:nst:engine)',
      ],
      warnings: ['could not check'],
    });
    expect(rightsVerdict(undefined)).toEqual({ refusals: [], warnings: [] });
  });
});
