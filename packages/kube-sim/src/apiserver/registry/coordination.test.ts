/** coordination.k8s.io/v1 Lease through the API: discovery, CRUD, watch, decoding, validation, RBAC, table. */
import {
  CoordinationV1Api,
  type V1Lease,
  V1MicroTime,
  Watch,
} from '@kubernetes/client-node';
import { startTestServer, type TestServer } from '../testutil';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/n/leases';

describe('coordination.k8s.io Lease', () => {
  let t: TestServer;
  let leases: CoordinationV1Api;
  const post = (path: string, body: unknown, token?: string) =>
    t.request(
      'POST',
      path,
      body,
      token ? { Authorization: `Bearer ${token}` } : {},
    );
  const causes = (res: { body: any }) =>
    (res.body.details?.causes ?? []).map((c: any) => `${c.reason} ${c.field}`);
  const lease = (name: string, spec: Record<string, unknown>) => ({
    metadata: { name },
    spec,
  });

  beforeAll(async () => {
    t = await startTestServer({
      rbac: true,
      tokens: { 'ctl-token': { username: 'ctl', groups: [] } },
    });
    await post('/api/v1/namespaces', { metadata: { name: 'n' } });
    leases = t.kubeConfig().makeApiClient(CoordinationV1Api);
  });
  afterAll(() => t.stop());

  it('is served namespaced in discovery with every verb', async () => {
    const groups = await t.request('GET', '/apis');
    expect(
      groups.body.groups.find((g: any) => g.name === 'coordination.k8s.io'),
    ).toMatchObject({ preferredVersion: { version: 'v1' } });
    const res = await t.request('GET', '/apis/coordination.k8s.io/v1');
    expect(res.body.resources).toEqual([
      expect.objectContaining({
        name: 'leases',
        kind: 'Lease',
        namespaced: true,
        singularName: 'lease',
        verbs: expect.arrayContaining(['create', 'update', 'patch', 'watch']),
      }),
    ]);
  });

  it('stores MicroTimes in UTC with six digits and takes updates by resourceVersion', async () => {
    const acquired = new V1MicroTime('2026-01-02T03:04:05.123Z');
    const created = await leases.createNamespacedLease({
      namespace: 'n',
      body: {
        metadata: { name: 'leader' },
        spec: {
          holderIdentity: 'a',
          leaseDurationSeconds: 15,
          acquireTime: acquired,
          renewTime: acquired,
          leaseTransitions: 0,
        },
      },
    });
    const raw = await t.request('GET', `${LEASES}/leader`);
    expect(raw.body.spec.renewTime).toBe('2026-01-02T03:04:05.123000Z');
    const offset = await post(
      LEASES,
      lease('offset', { renewTime: '2026-01-02T05:04:05.123456+02:00' }),
    );
    expect(offset.body.spec.renewTime).toBe('2026-01-02T03:04:05.123456Z');

    const takeOver: V1Lease = {
      ...created,
      spec: { ...created.spec, holderIdentity: 'b', leaseTransitions: 1 },
    };
    const replaced = await leases.replaceNamespacedLease({
      name: 'leader',
      namespace: 'n',
      body: takeOver,
    });
    expect(replaced.spec?.holderIdentity).toBe('b');
    // the loser of the race still holds the old resourceVersion
    await expect(
      leases.replaceNamespacedLease({
        name: 'leader',
        namespace: 'n',
        body: { ...created, spec: { ...created.spec, holderIdentity: 'c' } },
      }),
    ).rejects.toMatchObject({ code: 409 });
    const patched = await t.request(
      'PATCH',
      `${LEASES}/leader`,
      { spec: { holderIdentity: null } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.spec.holderIdentity).toBeUndefined();
    const list = await leases.listNamespacedLease({ namespace: 'n' });
    expect(list.items.map(l => l.metadata?.name).sort()).toEqual([
      'leader',
      'offset',
    ]);
  });

  it('refuses MicroTimes and numbers the real decoder refuses, with a 400', async () => {
    const jsTime = await post(
      LEASES,
      lease('js', { renewTime: '2026-01-02T03:04:05.123Z' }),
    );
    expect(jsTime.status).toBe(400);
    expect(jsTime.body.message).toBe(
      'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-01-02T03:04:05.123Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse as RFC 3339 with microseconds',
    );
    const text = await post(LEASES, lease('s', { leaseDurationSeconds: '15' }));
    expect(text.status).toBe(400);
    expect(text.body.message).toMatch(
      /cannot unmarshal string into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32$/,
    );
  });

  it('validates the spec as ValidateLeaseSpec does', async () => {
    const bad = await post(
      LEASES,
      lease('bad', {
        leaseDurationSeconds: 0,
        leaseTransitions: -1,
        preferredHolder: 'x',
      }),
    );
    expect(bad.status).toBe(422);
    expect(causes(bad)).toEqual([
      'FieldValueInvalid spec.leaseDurationSeconds',
      'FieldValueInvalid spec.leaseTransitions',
      'FieldValueForbidden spec.preferredHolder',
    ]);
    expect(bad.body.message).toContain(
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    );
    const strategy = await post(
      LEASES,
      lease('strategy', { strategy: 'Newest' }),
    );
    expect(causes(strategy)).toEqual(['FieldValueNotSupported spec.strategy']);
    const custom = await post(
      LEASES,
      lease('custom', { strategy: 'example.com/mine', preferredHolder: 'a' }),
    );
    expect(custom.status).toBe(201);
    const name = await post(LEASES, lease('Not_A_Subdomain', {}));
    expect(causes(name)).toEqual(['FieldValueInvalid metadata.name']);
    const update = await t.request('PUT', `${LEASES}/custom`, {
      ...custom.body,
      spec: { leaseDurationSeconds: -5 },
    });
    expect(update.status).toBe(422);
  });

  it('delivers changes to a watch from a resourceVersion', async () => {
    const start = await post(LEASES, lease('watched', { holderIdentity: 'a' }));
    const seen: string[] = [];
    let done!: () => void;
    const all = new Promise<void>(r => (done = r));
    const req = await new Watch(t.kubeConfig()).watch(
      LEASES,
      { resourceVersion: start.body.metadata.resourceVersion },
      (type, obj) => {
        seen.push(`${type}:${obj.metadata.name}:${obj.spec?.holderIdentity}`);
        if (type === 'DELETED') done();
      },
      () => undefined,
    );
    await t.request(
      'PATCH',
      `${LEASES}/watched`,
      { spec: { holderIdentity: 'b' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    await t.request('DELETE', `${LEASES}/watched`);
    await all;
    req.abort();
    expect(seen).toEqual(['MODIFIED:watched:b', 'DELETED:watched:b']);
  });

  it('is authorized by RBAC in its group', async () => {
    const denied = await post(LEASES, lease('ctl', {}), 'ctl-token');
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe(
      'leases.coordination.k8s.io is forbidden: User "ctl" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "n"',
    );
    await post('/apis/rbac.authorization.k8s.io/v1/namespaces/n/roles', {
      metadata: { name: 'leases' },
      rules: [
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['create', 'get', 'update'],
        },
      ],
    });
    await post('/apis/rbac.authorization.k8s.io/v1/namespaces/n/rolebindings', {
      metadata: { name: 'ctl' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'leases',
      },
      subjects: [{ kind: 'User', name: 'ctl' }],
    });
    expect((await post(LEASES, lease('ctl', {}), 'ctl-token')).status).toBe(
      201,
    );
  });

  it('prints the holder as kubectl get does', async () => {
    await post(LEASES, lease('held', { holderIdentity: 'me' }));
    const res = await t.request('GET', LEASES, undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect(res.body.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Holder',
      'Age',
    ]);
    const holder = (n: string) =>
      res.body.rows.find((r: any) => r.cells[0] === n).cells[1];
    expect(holder('held')).toBe('me');
    expect(holder('leader')).toBe('');
  });
});
