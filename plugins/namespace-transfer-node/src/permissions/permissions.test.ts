import type { V1PodSpec } from '@kubernetes/client-node';
import {
  containerSecurityContext,
  DEFAULT_ID,
  OPENSHIFT_SUPPLEMENTAL_GROUPS,
  OPENSHIFT_UID_RANGE,
  parseRangeStart,
  permissionRepair,
  podSecurityContext,
  rsyncPermissionFlags,
  selectIdentity,
} from '.';

const spec = (
  pod: V1PodSpec['securityContext'],
  containerUser?: number,
): V1PodSpec => ({
  securityContext: pod,
  containers: [
    {
      name: 'app',
      securityContext:
        containerUser !== undefined ? { runAsUser: containerUser } : undefined,
    },
  ],
});

describe('security contexts', () => {
  it('meet Pod Security "restricted"', () => {
    expect(containerSecurityContext()).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const pod = podSecurityContext({
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 2000,
      source: 'default',
      groupWritable: false,
    });
    expect(pod).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      fsGroup: 2000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });
});

describe('identity selection', () => {
  it('parses OpenShift ranges in both notations', () => {
    expect(parseRangeStart('1000650000/10000')).toBe(1000650000);
    expect(parseRangeStart('1000650000-1000659999')).toBe(1000650000);
    expect(parseRangeStart('junk')).toBeUndefined();
  });

  it('prefers the destination workload, container settings over pod settings', () => {
    const id = selectIdentity({
      destinationPodSpecs: [spec({ runAsUser: 1, fsGroup: 3000 }, 2000)],
      sourcePodSpecs: [spec({ runAsUser: 4000 })],
    });
    expect(id).toEqual({
      runAsUser: 2000,
      runAsGroup: 3000,
      fsGroup: 3000,
      source: 'destination-workload',
      groupWritable: false,
    });
  });

  it('falls back to the namespace UID range, group-writable for random UIDs', () => {
    const id = selectIdentity({
      destinationNamespaceAnnotations: {
        [OPENSHIFT_UID_RANGE]: '1000650000/10000',
        [OPENSHIFT_SUPPLEMENTAL_GROUPS]: '1000650000/10000',
      },
      sourcePodSpecs: [spec({ runAsUser: 4000 })],
    });
    expect(id).toEqual({
      runAsUser: 1000650000,
      runAsGroup: 1000650000,
      fsGroup: 1000650000,
      source: 'namespace-uid-range',
      groupWritable: true,
    });
  });

  it('then the source workload, then a non-root default; root workloads are ignored', () => {
    expect(
      selectIdentity({
        sourcePodSpecs: [
          spec({ runAsUser: 0 }),
          spec({ runAsUser: 4000, runAsGroup: 4001 }),
        ],
      }),
    ).toMatchObject({
      runAsUser: 4000,
      runAsGroup: 4001,
      source: 'source-workload',
    });
    expect(selectIdentity({})).toMatchObject({
      runAsUser: DEFAULT_ID,
      source: 'default',
    });
    expect(
      selectIdentity({
        override: { runAsUser: 5 },
        destinationPodSpecs: [spec({ runAsUser: 9 })],
      }).source,
    ).toBe('override');
  });
});

describe('permission repair', () => {
  const id = {
    runAsUser: 1000650000,
    runAsGroup: 1000650000,
    fsGroup: 1000650000,
    source: 'namespace-uid-range' as const,
    groupWritable: true,
  };
  it('without chown rights: no owners, group-writable modes', () => {
    expect(rsyncPermissionFlags(permissionRepair(id))).toEqual([
      '--no-owner',
      '--no-group',
      '--chmod=g+rwX',
    ]);
  });
  it('with chown rights: numeric owners kept, or the destination identity forced', () => {
    expect(
      rsyncPermissionFlags(
        permissionRepair(
          { ...id, groupWritable: false },
          { canChown: true, preserveOwners: true },
        ),
      ),
    ).toEqual(['--owner', '--group', '--numeric-ids']);
    expect(
      rsyncPermissionFlags(permissionRepair(id, { canChown: true })),
    ).toEqual([
      '--chown=1000650000:1000650000',
      '--numeric-ids',
      '--chmod=g+rwX',
    ]);
  });
});
