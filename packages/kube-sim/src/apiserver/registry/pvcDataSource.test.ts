/** PersistentVolumeClaim dataSource / dataSourceRef: the real defaulting, dropping and validation. */
import { startTestServer, type TestServer } from '../testutil';

const CLAIMS = '/api/v1/namespaces/n/persistentvolumeclaims';
const REQUEST = {
  apiGroup: 'transfer.namespace-transfer.io',
  kind: 'NamespaceTransferRequest',
  name: 'move-data',
};

describe('PVC data sources', () => {
  let t: TestServer;
  const causes = (res: { body: any }) =>
    (res.body.details?.causes ?? []).map((c: any) => `${c.reason} ${c.field}`);
  const claim = (name: string, sources: Record<string, unknown>) =>
    t.request('POST', CLAIMS, {
      metadata: { name },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: 'none',
        ...sources,
      },
    });

  beforeAll(async () => {
    t = await startTestServer();
    await t.request('POST', '/api/v1/namespaces', { metadata: { name: 'n' } });
  });
  afterAll(() => t.stop());

  it('copies a dataSourceRef without namespace into dataSource', async () => {
    const res = await claim('story-1', { dataSourceRef: REQUEST });
    expect(res.status).toBe(201);
    expect(res.body.spec.dataSourceRef).toEqual(REQUEST);
    expect(res.body.spec.dataSource).toEqual(REQUEST);
  });

  it('copies a claim or snapshot dataSource into dataSourceRef', async () => {
    const snapshot = {
      apiGroup: 'snapshot.storage.k8s.io',
      kind: 'VolumeSnapshot',
      name: 'snap',
    };
    const res = await claim('from-snapshot', { dataSource: snapshot });
    expect(res.body.spec.dataSourceRef).toEqual(snapshot);
    const clone = await claim('clone', {
      dataSource: { kind: 'PersistentVolumeClaim', name: 'src' },
    });
    expect(clone.body.spec.dataSourceRef).toEqual({
      kind: 'PersistentVolumeClaim',
      name: 'src',
    });
  });

  it('drops any other kind given only as dataSource, as old servers did', async () => {
    const res = await claim('legacy', { dataSource: REQUEST });
    expect(res.status).toBe(201);
    expect(res.body.spec.dataSource).toBeUndefined();
    expect(res.body.spec.dataSourceRef).toBeUndefined();
  });

  it('drops a dataSourceRef naming a namespace while CrossNamespaceVolumeDataSource is off', async () => {
    const res = await claim('cross', {
      dataSourceRef: { ...REQUEST, namespace: 'other' },
    });
    expect(res.status).toBe(201);
    expect(res.body.spec.dataSourceRef).toBeUndefined();
    expect(res.body.spec.dataSource).toBeUndefined();
  });

  it('validates both references and their agreement', async () => {
    const mismatch = await claim('mismatch', {
      dataSource: REQUEST,
      dataSourceRef: { ...REQUEST, name: 'other' },
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.message).toBe(
      'PersistentVolumeClaim "mismatch" is invalid: spec: Invalid value: "spec.dataSource": must match dataSourceRef',
    );
    const incomplete = await claim('incomplete', {
      dataSourceRef: { kind: 'Secret', apiGroup: 'Not_A_Group' },
    });
    expect(causes(incomplete)).toEqual([
      'FieldValueRequired spec.dataSource.name',
      'FieldValueInvalid spec.dataSource.apiGroup',
      'FieldValueRequired spec.dataSourceRef.name',
      'FieldValueInvalid spec.dataSourceRef.apiGroup',
    ]);
    const coreKind = await claim('core', {
      dataSourceRef: { kind: 'Secret', name: 's' },
    });
    expect(coreKind.body.message).toContain(
      `spec.dataSourceRef: Invalid value: "Secret": must be 'PersistentVolumeClaim' when referencing the default apiGroup`,
    );
  });

  it('keeps the data source immutable and refills what an old client leaves out', async () => {
    const current = await t.request('GET', `${CLAIMS}/story-1`);
    const { dataSourceRef: _omitted, ...oldClientSpec } = current.body.spec;
    const put = await t.request('PUT', `${CLAIMS}/story-1`, {
      ...current.body,
      spec: oldClientSpec,
    });
    expect(put.status).toBe(200);
    expect(put.body.spec.dataSourceRef).toEqual(REQUEST);
    const changed = await t.request('PUT', `${CLAIMS}/story-1`, {
      ...put.body,
      spec: {
        ...put.body.spec,
        dataSource: { ...REQUEST, name: 'another' },
        dataSourceRef: { ...REQUEST, name: 'another' },
      },
    });
    expect(changed.status).toBe(422);
    expect(causes(changed)).toEqual(['FieldValueForbidden spec']);
  });
});
