import type { V1Pod } from '@kubernetes/client-node';
import { ContainerConfigError } from '../env/containerEnv';
import { resolveIdentity, setprivArgs } from './identity';

function pod(psc: object, csc: object = {}): V1Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
    spec: {
      securityContext: psc,
      containers: [{ name: 'c', securityContext: csc }],
    },
  } as V1Pod;
}

describe('resolveIdentity', () => {
  it('lets the container override the pod and adds supplemental groups and fsGroup', () => {
    const p = pod(
      {
        runAsUser: 1000,
        runAsGroup: 1000,
        supplementalGroups: [5, 6],
        fsGroup: 2000,
      },
      { runAsUser: 1001 },
    );
    const id = resolveIdentity(p, p.spec!.containers[0]);
    expect(id).toMatchObject({
      uid: 1001,
      gid: 1000,
      groups: [5, 6, 2000],
      noNewPrivs: false,
    });
  });

  it('defaults to root (the unknown image user) with the runtime default capabilities', () => {
    const p = pod({});
    const id = resolveIdentity(p, p.spec!.containers[0]);
    expect(id.uid).toBe(0);
    expect(id.gid).toBe(0);
    expect(id.capabilities).toContain('chown');
    expect(id.capabilities).not.toContain('sys_admin');
  });

  it('refuses runAsNonRoot without a user, as the image user is treated as root', () => {
    const p = pod({ runAsNonRoot: true });
    expect(() => resolveIdentity(p, p.spec!.containers[0])).toThrow(
      ContainerConfigError,
    );
    expect(() => resolveIdentity(p, p.spec!.containers[0])).toThrow(
      /image will run as root/,
    );
  });

  it('refuses runAsNonRoot with runAsUser 0 and accepts a non-zero user', () => {
    const p = pod({ runAsNonRoot: true }, { runAsUser: 0 });
    expect(() => resolveIdentity(p, p.spec!.containers[0])).toThrow(
      /breaks non-root policy/,
    );
    const ok = pod({ runAsNonRoot: true, runAsUser: 10 });
    expect(resolveIdentity(ok, ok.spec!.containers[0]).uid).toBe(10);
  });

  it('drops capabilities and sets no-new-privs', () => {
    const p = pod(
      { runAsUser: 5 },
      {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      },
    );
    const id = resolveIdentity(p, p.spec!.containers[0]);
    expect(id.capabilities).toEqual(['net_bind_service']);
    expect(setprivArgs(id)).toEqual([
      '--reuid=5',
      '--regid=0',
      '--clear-groups',
      '--no-new-privs',
      '--inh-caps=-all',
      '--bounding-set=-all,+net_bind_service',
    ]);
  });
});
