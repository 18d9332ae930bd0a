import { violations } from './podsecurity';

const restrictedPod = {
  securityContext: {
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  containers: [
    {
      name: 'app',
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    },
  ],
  volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'c' } }],
};

describe('Pod Security Standards', () => {
  it('accepts a pod that meets restricted', () => {
    expect(violations('restricted', restrictedPod)).toEqual([]);
  });

  it('lists what breaks restricted, container by container', () => {
    const v = violations('restricted', {
      containers: [
        { name: 'a' },
        { name: 'b', securityContext: { runAsUser: 0 } },
      ],
    });
    expect(v).toEqual([
      'allowPrivilegeEscalation != false (containers "a", "b" must set securityContext.allowPrivilegeEscalation=false)',
      'unrestricted capabilities (containers "a", "b" must set securityContext.capabilities.drop=["ALL"])',
      'runAsNonRoot != true (pod or containers "a", "b" must set securityContext.runAsNonRoot=true)',
      'runAsUser=0 (container "b" must not set runAsUser=0)',
      'seccompProfile (pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ]);
  });

  it('baseline refuses host access and privilege but not root', () => {
    const pod = {
      hostNetwork: true,
      containers: [
        { name: 'a', securityContext: { privileged: true, runAsUser: 0 } },
      ],
      volumes: [{ name: 'h', hostPath: { path: '/' } }],
    };
    expect(violations('baseline', pod)).toEqual([
      'host namespaces (hostNetwork=true)',
      'privileged (container "a" must not set securityContext.privileged=true)',
      'hostPath volumes (volume "h")',
    ]);
    expect(
      violations('baseline', {
        containers: [{ name: 'a', securityContext: { runAsUser: 0 } }],
      }),
    ).toEqual([]);
    expect(violations('privileged', pod)).toEqual([]);
  });
});
