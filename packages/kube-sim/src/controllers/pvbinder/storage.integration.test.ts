import { promises as fs } from 'node:fs';
import path from 'node:path';
import { R } from '../kube/resources';
import { isNotFound } from '../kube/rest';
import type {
  CoreEvent,
  Namespace,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  StorageClass,
} from '../kube/types';
import {
  registerNode,
  startHarness,
  waitFor,
  type ControllerHarness,
} from '../testing/harness';

jest.setTimeout(90_000);

let h: ControllerHarness;

beforeAll(async () => {
  // a short periodic sync: some bindings below (a claim naming a volume made after it, a claim made
  // before its class) wait for it, as they would on a real cluster
  h = await startHarness('pvt', { pvBinder: { syncPeriodMs: 1_000 } });
  await registerNode(h.rest, h.nodeName);
  for (const name of ['apps', 'other'])
    await h.rest.create<Namespace>(R.namespaces, undefined, {
      metadata: { name },
    });
  const sc = (
    name: string,
    extra: Partial<StorageClass> = {},
  ): StorageClass => ({
    metadata: { name },
    provisioner: 'kube-sim.io/hostpath',
    ...extra,
  });
  await h.rest.create(
    R.storageclasses,
    undefined,
    sc('fast', { reclaimPolicy: 'Delete' }),
  );
  await h.rest.create(
    R.storageclasses,
    undefined,
    sc('keep', { reclaimPolicy: 'Retain' }),
  );
  await h.rest.create(
    R.storageclasses,
    undefined,
    sc('tiny', { reclaimPolicy: 'Delete', parameters: { capacity: '1Gi' } }),
  );
  await h.rest.create(
    R.storageclasses,
    undefined,
    sc('late', {
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    }),
  );
});

afterAll(async () => h?.stop());

const claim = (
  name: string,
  storageClassName: string,
  size = '1Gi',
  extra: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {},
): PersistentVolumeClaim => ({
  metadata: { name },
  spec: {
    accessModes: ['ReadWriteOnce'],
    storageClassName,
    resources: { requests: { storage: size } },
    ...extra,
  },
});
const getClaim = (ns: string, name: string) =>
  h.rest.get<PersistentVolumeClaim>(R.persistentvolumeclaims, ns, name);
const getPv = (name: string) =>
  h.rest.get<PersistentVolume>(R.persistentvolumes, undefined, name);
const waitBound = (ns: string, name: string) =>
  waitFor(`${ns}/${name} Bound`, async () => {
    const c = await getClaim(ns, name);
    return c.status?.phase === 'Bound' ? c : undefined;
  });
const gone = (fn: () => Promise<unknown>) =>
  fn().then(
    () => false,
    e => isNotFound(e),
  );
const eventsFor = async (ns: string, name: string) =>
  (await h.rest.list<CoreEvent>(R.events, ns)).items.filter(
    e => e.involvedObject?.name === name,
  );

describe('dynamic provisioning (kube-sim.io/hostpath)', () => {
  it('provisions a directory and a pre-bound PV, binds the claim, and deletes both on reclaim Delete', async () => {
    const created = await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('data', 'fast', '2Gi'),
    );
    const bound = await waitBound('apps', 'data');
    const pvName = `pvc-${created.metadata?.uid}`;
    expect(bound.spec?.volumeName).toBe(pvName);
    expect(bound.status?.capacity?.storage).toBe('2Gi');
    expect(bound.status?.accessModes).toEqual(['ReadWriteOnce']);
    expect(bound.metadata?.annotations).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.kubernetes.io/storage-provisioner': 'kube-sim.io/hostpath',
      'volume.beta.kubernetes.io/storage-provisioner': 'kube-sim.io/hostpath',
    });
    const pv = await waitFor('PV Bound', async () =>
      (await getPv(pvName)).status?.phase === 'Bound'
        ? getPv(pvName)
        : undefined,
    );
    const dir = path.join(h.dataDir, 'storage', 'fast', pvName);
    expect(pv.spec?.hostPath?.path).toBe(dir);
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.spec?.claimRef).toMatchObject({
      namespace: 'apps',
      name: 'data',
      uid: created.metadata?.uid,
    });
    expect(pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by']).toBe(
      'kube-sim.io/hostpath',
    );
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o777);
    await waitFor('provisioning events', async () => {
      const reasons = (await eventsFor('apps', 'data')).map(e => e.reason);
      return [
        'ExternalProvisioning',
        'Provisioning',
        'ProvisioningSucceeded',
      ].every(r => reasons.includes(r));
    });

    await fs.writeFile(path.join(dir, 'file.txt'), 'hello');
    await h.rest.delete(R.persistentvolumeclaims, 'apps', 'data');
    await waitFor('PV deleted', () => gone(() => getPv(pvName)));
    await expect(fs.stat(dir)).rejects.toThrow(/ENOENT/);
  });

  it('refuses to provision beyond the class capacity with a ProvisioningFailed event', async () => {
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('huge', 'tiny', '2Gi'),
    );
    const ev = await waitFor('ProvisioningFailed', async () =>
      (await eventsFor('apps', 'huge')).find(
        e => e.reason === 'ProvisioningFailed',
      ),
    );
    expect(ev.type).toBe('Warning');
    expect(ev.message).toMatch(
      /insufficient capacity: requested 2Gi, 1Gi of 1Gi remaining/,
    );
    expect((await getClaim('apps', 'huge')).status?.phase).toBe('Pending');
    // What fits is still provisioned.
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('small', 'tiny', '512Mi'),
    );
    await waitBound('apps', 'small');
  });
});

describe('claims with a data source (csi-provisioner rules)', () => {
  const populated = (name: string) =>
    claim(name, 'fast', '1Gi', {
      dataSourceRef: {
        apiGroup: 'transfer.namespace-transfer.io',
        kind: 'NamespaceTransferRequest',
        name: 'move-data',
      },
    });

  it('leaves a claim whose dataSourceRef names a kind for a populator alone', async () => {
    const left = await h.rest.create<PersistentVolumeClaim>(
      R.persistentvolumeclaims,
      'apps',
      populated('for-populator'),
    );
    // one provisioning worker takes claims in order: once a later claim is bound, this one was seen
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('after-populated', 'fast'),
    );
    await waitBound('apps', 'after-populated');
    const live = await getClaim('apps', 'for-populator');
    expect(live.status?.phase).toBe('Pending');
    expect(live.spec?.volumeName).toBeUndefined();
    expect(await gone(() => getPv(`pvc-${left.metadata?.uid}`))).toBe(true);
    const reasons = (await eventsFor('apps', 'for-populator')).map(
      e => e.reason,
    );
    expect(reasons).not.toContain('Provisioning');
    expect(reasons).not.toContain('ProvisioningFailed');
  });

  it('refuses a clone with a ProvisioningFailed event instead of handing out an empty volume', async () => {
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('clone', 'fast', '1Gi', {
        dataSource: { kind: 'PersistentVolumeClaim', name: 'small' },
      }),
    );
    const ev = await waitFor('ProvisioningFailed', async () =>
      (await eventsFor('apps', 'clone')).find(
        e => e.reason === 'ProvisioningFailed',
      ),
    );
    expect(ev.message).toMatch(/does not support volume cloning/);
    expect((await getClaim('apps', 'clone')).spec?.volumeName).toBeUndefined();
  });
});

describe('binding as the real PV controller', () => {
  const staticPv = (
    name: string,
    size: string,
    extra: Partial<NonNullable<PersistentVolume['spec']>> = {},
  ): PersistentVolume => ({
    metadata: { name },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'manual',
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: `/tmp/${name}` },
      ...extra,
    },
  });

  it('binds the smallest matching Available volume and honours pre-bound volumes and volumeName', async () => {
    await h.rest.create(
      R.persistentvolumes,
      undefined,
      staticPv('pv-big', '10Gi'),
    );
    await h.rest.create(
      R.persistentvolumes,
      undefined,
      staticPv('pv-fit', '3Gi'),
    );
    await h.rest.create(
      R.persistentvolumes,
      undefined,
      staticPv('pv-reserved', '3Gi', {
        claimRef: { namespace: 'other', name: 'wanted' },
      }),
    );
    await waitFor(
      'volumes Available',
      async () =>
        (await getPv('pv-fit')).status?.phase === 'Available' &&
        (await getPv('pv-reserved')).status?.phase === 'Available',
    );
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('pick', 'manual', '2Gi'),
    );
    expect((await waitBound('apps', 'pick')).spec?.volumeName).toBe('pv-fit');
    const pv = await waitFor('pv-fit Bound', async () =>
      (await getPv('pv-fit')).status?.phase === 'Bound'
        ? getPv('pv-fit')
        : undefined,
    );
    expect(
      pv.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'],
    ).toBe('yes');

    // pv-reserved is only for other/wanted, even though it would fit.
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('nope', 'manual', '2Gi'),
    );
    await h.rest.create(
      R.persistentvolumeclaims,
      'other',
      claim('wanted', 'manual', '1Gi'),
    );
    expect((await waitBound('other', 'wanted')).spec?.volumeName).toBe(
      'pv-reserved',
    );
    expect((await waitBound('apps', 'nope')).spec?.volumeName).toBe('pv-big');
    // A pre-bound volume bound by the user gets no bound-by-controller annotation, but the uid.
    const reserved = await getPv('pv-reserved');
    expect(
      reserved.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'],
    ).toBeUndefined();
    expect(reserved.spec?.claimRef?.uid).toBe(
      (await getClaim('other', 'wanted')).metadata?.uid,
    );

    // A claim naming a volume waits for exactly that one.
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('named', 'manual', '1Gi', { volumeName: 'pv-later' }),
    );
    await new Promise(r => setTimeout(r, 500));
    expect((await getClaim('apps', 'named')).status?.phase).toBe('Pending');
    await h.rest.create(
      R.persistentvolumes,
      undefined,
      staticPv('pv-later', '1Gi'),
    );
    const named = await waitBound('apps', 'named');
    expect(
      named.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'],
    ).toBeUndefined();
  });

  it('releases a Retain volume when its claim goes, and rebinds it when a user points claimRef at a new claim', async () => {
    const src = await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('src', 'keep', '1Gi'),
    );
    await waitBound('apps', 'src');
    const pvName = `pvc-${src.metadata?.uid}`;
    const dir = (await getPv(pvName)).spec?.hostPath?.path as string;
    await fs.writeFile(path.join(dir, 'payload'), 'keep me');
    await h.rest.delete(R.persistentvolumeclaims, 'apps', 'src');
    const released = await waitFor('Released', async () =>
      (await getPv(pvName)).status?.phase === 'Released'
        ? getPv(pvName)
        : undefined,
    );
    expect(released.spec?.claimRef?.uid).toBe(src.metadata?.uid);
    await new Promise(r => setTimeout(r, 500));
    expect((await getPv(pvName)).status?.phase).toBe('Released');

    // The rebind engine's move: point claimRef at the destination (no uid), then create that claim.
    const cur = await getPv(pvName);
    await h.rest.update(R.persistentvolumes, {
      ...cur,
      spec: {
        ...cur.spec,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          apiVersion: 'v1',
          namespace: 'other',
          name: 'dst',
        },
      },
    });
    await waitFor(
      'Available for dst',
      async () => (await getPv(pvName)).status?.phase === 'Available',
    );
    const dst = await h.rest.create(
      R.persistentvolumeclaims,
      'other',
      claim('dst', 'keep', '1Gi', { volumeName: pvName }),
    );
    await waitBound('other', 'dst');
    const rebound = await waitFor('PV Bound to dst', async () =>
      (await getPv(pvName)).status?.phase === 'Bound'
        ? getPv(pvName)
        : undefined,
    );
    expect(rebound.spec?.claimRef).toMatchObject({
      namespace: 'other',
      name: 'dst',
      uid: dst.metadata?.uid,
    });
    expect(await fs.readFile(path.join(dir, 'payload'), 'utf8')).toBe(
      'keep me',
    );
  });

  it('marks a static Delete volume without a deleter Failed when released', async () => {
    await h.rest.create(
      R.persistentvolumes,
      undefined,
      staticPv('pv-del', '1Gi', {
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: 'gone',
        claimRef: { namespace: 'apps', name: 'short' },
      }),
    );
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('short', 'gone'),
    );
    await waitBound('apps', 'short');
    await h.rest.delete(R.persistentvolumeclaims, 'apps', 'short');
    const failed = await waitFor('Failed', async () =>
      (await getPv('pv-del')).status?.phase === 'Failed'
        ? getPv('pv-del')
        : undefined,
    );
    expect(failed.status?.message).toMatch(/no deletable volume plugin/);
  });
});

describe('WaitForFirstConsumer', () => {
  it('pre-binds a static volume for the node the scheduler picked, then binds the pod', async () => {
    await h.rest.create<StorageClass>(R.storageclasses, undefined, {
      metadata: { name: 'local' },
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    await h.rest.create<PersistentVolume>(R.persistentvolumes, undefined, {
      metadata: { name: 'local-pv' },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local',
        hostPath: { path: '/tmp/local-pv' },
      },
    });
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('local-claim', 'local'),
    );
    await new Promise(r => setTimeout(r, 500));
    expect((await getClaim('apps', 'local-claim')).status?.phase).toBe(
      'Pending',
    );
    await h.rest.create<Pod>(R.pods, 'apps', {
      metadata: { name: 'local-user' },
      spec: {
        containers: [{ name: 'c', image: 'x' }],
        volumes: [
          { name: 'd', persistentVolumeClaim: { claimName: 'local-claim' } },
        ],
      },
    });
    expect((await waitBound('apps', 'local-claim')).spec?.volumeName).toBe(
      'local-pv',
    );
    await waitFor(
      'pod bound',
      async () =>
        (await h.rest.get<Pod>(R.pods, 'apps', 'local-user')).spec?.nodeName,
    );
  });

  it('waits for a scheduled consumer, then provisions on the selected node and binds the pod', async () => {
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('lazy', 'late'),
    );
    await waitFor('WaitForFirstConsumer event', async () =>
      (await eventsFor('apps', 'lazy')).some(
        e => e.reason === 'WaitForFirstConsumer',
      ),
    );
    expect((await getClaim('apps', 'lazy')).status?.phase).toBe('Pending');
    await h.rest.create<Pod>(R.pods, 'apps', {
      metadata: { name: 'consumer' },
      spec: {
        containers: [{ name: 'c', image: 'busybox' }],
        volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'lazy' } }],
      },
    });
    const bound = await waitBound('apps', 'lazy');
    expect(
      bound.metadata?.annotations?.['volume.kubernetes.io/selected-node'],
    ).toBe(h.nodeName);
    const pod = await waitFor('pod bound', async () => {
      const p = await h.rest.get<Pod>(R.pods, 'apps', 'consumer');
      return p.spec?.nodeName ? p : undefined;
    });
    expect(pod.spec?.nodeName).toBe(h.nodeName);
  });
});

describe('default StorageClass', () => {
  it('gives a claim created without a class the default class afterwards, and provisions it', async () => {
    await h.rest.create(R.persistentvolumeclaims, 'apps', {
      metadata: { name: 'classless' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    await h.rest.create<StorageClass>(R.storageclasses, undefined, {
      metadata: {
        name: 'standard',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'kube-sim.io/hostpath',
      reclaimPolicy: 'Delete',
    });
    const bound = await waitBound('apps', 'classless');
    expect(bound.spec?.storageClassName).toBe('standard');
  });
});

describe('storage object in use protection', () => {
  it('keeps a deleted claim while a scheduled pod references it, then releases its volume', async () => {
    await h.rest.create(
      R.persistentvolumeclaims,
      'apps',
      claim('inuse', 'keep'),
    );
    const bound = await waitBound('apps', 'inuse');
    await h.rest.create<Pod>(R.pods, 'apps', {
      metadata: { name: 'user' },
      spec: {
        containers: [{ name: 'c', image: 'x' }],
        volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'inuse' } }],
      },
    });
    await waitFor(
      'scheduled',
      async () =>
        (await h.rest.get<Pod>(R.pods, 'apps', 'user')).spec?.nodeName,
    );
    await h.rest.delete(R.persistentvolumeclaims, 'apps', 'inuse');
    await new Promise(r => setTimeout(r, 500));
    const held = await getClaim('apps', 'inuse');
    expect(held.metadata?.deletionTimestamp).toBeTruthy();
    expect(held.metadata?.finalizers).toContain('kubernetes.io/pvc-protection');
    expect((await getPv(bound.spec?.volumeName as string)).status?.phase).toBe(
      'Bound',
    );
    await h.rest.delete(R.pods, 'apps', 'user', { gracePeriodSeconds: 0 });
    await waitFor('claim gone', () => gone(() => getClaim('apps', 'inuse')));
    await waitFor(
      'Released',
      async () =>
        (await getPv(bound.spec?.volumeName as string)).status?.phase ===
        'Released',
    );
  });
});
