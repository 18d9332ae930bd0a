import type { PersistentVolume, PersistentVolumeClaim } from '../kube/types';
import {
  findBestMatch,
  isVolumeBoundToClaim,
  volumeUnsuitableReason,
} from './matching';

const pv = (
  name: string,
  size: string,
  extra: Partial<NonNullable<PersistentVolume['spec']>> = {},
  labels?: Record<string, string>,
  phase = 'Available',
): PersistentVolume => ({
  metadata: { name, labels },
  spec: {
    capacity: { storage: size },
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'std',
    ...extra,
  },
  status: { phase },
});

const pvc = (
  extra: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {},
): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'ns', uid: 'u1' },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '5Gi' } },
    storageClassName: 'std',
    ...extra,
  },
});

const match = (
  c: PersistentVolumeClaim,
  vs: PersistentVolume[],
  delayBinding = false,
) => findBestMatch(c, vs, { delayBinding })?.metadata?.name;

describe('findBestMatch', () => {
  it('picks the smallest available volume that is large enough', () => {
    expect(
      match(pvc(), [pv('big', '50Gi'), pv('small', '1Gi'), pv('fit', '10Gi')]),
    ).toBe('fit');
  });

  it('filters by class, access modes, volume mode, selector and phase', () => {
    expect(
      match(pvc(), [pv('other-class', '10Gi', { storageClassName: 'fast' })]),
    ).toBeUndefined();
    expect(
      match(pvc({ accessModes: ['ReadWriteMany'] }), [pv('rwo', '10Gi')]),
    ).toBeUndefined();
    expect(
      match(pvc({ volumeMode: 'Block' }), [pv('fs', '10Gi')]),
    ).toBeUndefined();
    expect(
      match(pvc({ selector: { matchLabels: { disk: 'ssd' } } }), [
        pv('hdd', '10Gi', {}, { disk: 'hdd' }),
        pv('ssd', '20Gi', {}, { disk: 'ssd' }),
      ]),
    ).toBe('ssd');
    expect(
      match(pvc(), [pv('released', '10Gi', {}, undefined, 'Released')]),
    ).toBeUndefined();
  });

  it('prefers the volume offering the fewest extra access modes', () => {
    const many = pv('many', '10Gi', {
      accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'],
    });
    expect(match(pvc(), [many, pv('one', '20Gi')])).toBe('one');
  });

  it('honours pre-bound volumes: only for their claim, by name and uid when set', () => {
    const forMe = pv('pre', '10Gi', {
      claimRef: { namespace: 'ns', name: 'data' },
    });
    const forOther = pv('other', '10Gi', {
      claimRef: { namespace: 'ns', name: 'someone' },
    });
    const oldUid = pv(
      'old',
      '10Gi',
      { claimRef: { namespace: 'ns', name: 'data', uid: 'gone' } },
      undefined,
      'Released',
    );
    expect(match(pvc(), [forOther, forMe])).toBe('pre');
    expect(match(pvc(), [forOther, oldUid])).toBeUndefined();
    expect(isVolumeBoundToClaim(oldUid, pvc())).toBe(false);
    // a pre-bound volume matches even under WaitForFirstConsumer and even from a Released phase edit
    expect(match(pvc(), [forMe], true)).toBe('pre');
    expect(match(pvc(), [pv('free', '10Gi')], true)).toBeUndefined();
  });

  it('a pre-bound volume still has to be large enough', () => {
    expect(
      match(pvc(), [
        pv('pre', '1Gi', { claimRef: { namespace: 'ns', name: 'data' } }),
      ]),
    ).toBeUndefined();
  });
});

describe('volumeUnsuitableReason', () => {
  it('explains why a requested volume cannot serve a claim', () => {
    expect(volumeUnsuitableReason(pv('v', '1Gi'), pvc())).toBe(
      'requested PV is too small',
    );
    expect(
      volumeUnsuitableReason(pv('v', '10Gi', { storageClassName: 'x' }), pvc()),
    ).toBe('storageClassName does not match');
    expect(volumeUnsuitableReason(pv('v', '10Gi'), pvc())).toBeUndefined();
  });
});
