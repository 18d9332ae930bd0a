import { buildPod, buildSecret, moverContainerResources } from '.';

describe('buildPod', () => {
  const side = {
    containers: [
      {
        name: 'rsync',
        image: 'img',
        command: ['sh'],
        env: [{ name: 'A', value: '1' }],
      },
    ],
    secretData: {},
    configData: {},
  };
  it('mounts the claims, the Secret, the ConfigMap and scratch; no API token; POD_IP from the downward API', () => {
    const pod = buildPod({
      name: 'nst-t1-server',
      namespace: 'dst',
      labels: { a: 'b' },
      side,
      claims: [{ module: 'data', claimName: 'data', readOnly: false }],
      secretName: 's',
      configMapName: 'c',
      securityContext: { runAsNonRoot: true },
      restartPolicy: 'Always',
    });
    expect(pod.spec!.automountServiceAccountToken).toBe(false);
    expect(pod.spec!.volumes).toEqual([
      {
        name: 'data-data',
        persistentVolumeClaim: { claimName: 'data', readOnly: false },
      },
      {
        name: 'nstransfer-secret',
        secret: { secretName: 's', defaultMode: 0o440 },
      },
      {
        name: 'nstransfer-config',
        configMap: { name: 'c', defaultMode: 0o444 },
      },
      { name: 'scratch', emptyDir: {} },
    ]);
    expect(pod.spec!.containers[0].env).toEqual([
      {
        name: 'POD_IP',
        valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
      },
      { name: 'A', value: '1' },
    ]);
    expect(pod.spec!.affinity).toBeUndefined();
    // never BestEffort: a quota that counts requests refuses pods without them
    expect(pod.spec!.containers[0].resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
    });
  });

  it("gives every container the plan's resources, and a request never above its limit", () => {
    const two = {
      ...side,
      containers: [...side.containers, { name: 'stunnel', image: 'img' }],
    };
    const resources = moverContainerResources(
      { limits: { cpu: '50m' }, requests: { memory: '64Mi' } },
      ['memory'],
    );
    expect(resources).toEqual({
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '50m', memory: '512Mi' },
    });
    const pod = buildPod({
      name: 'p',
      namespace: 'dst',
      labels: {},
      side: two,
      claims: [],
      secretName: 's',
      configMapName: 'c',
      securityContext: {},
      restartPolicy: 'Always',
      resources,
    });
    expect(pod.spec!.containers.map(c => c.resources)).toEqual([
      resources,
      resources,
    ]);
  });

  it('pins a staging client to the application node through required node affinity', () => {
    const pod = buildPod({
      name: 'c',
      namespace: 'src',
      labels: {},
      side,
      claims: [{ module: 'data', claimName: 'data', readOnly: true }],
      secretName: 's',
      configMapName: 'c',
      securityContext: {},
      restartPolicy: 'Never',
      secretMode: 0o444,
      nodeName: 'node-1',
    });
    expect(
      pod.spec!.affinity!.nodeAffinity!
        .requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0]
        .matchFields,
    ).toEqual([{ key: 'metadata.name', operator: 'In', values: ['node-1'] }]);
    expect(pod.spec!.volumes![1].secret!.defaultMode).toBe(0o444);
    expect(pod.spec!.volumes![0].persistentVolumeClaim!.readOnly).toBe(true);
  });

  it('puts key material in stringData of an Opaque Secret', () => {
    expect(buildSecret('s', 'ns', { l: 'v' }, { 'tls.key': 'K' })).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'ns', labels: { l: 'v' } },
      type: 'Opaque',
      stringData: { 'tls.key': 'K' },
    });
  });
});
