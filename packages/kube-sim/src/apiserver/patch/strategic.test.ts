import { schemaOf } from '.';
import { strategicMergePatch } from './strategic';
import { appsKinds } from '../registry/apps';
import { coreKinds } from '../registry/core';

const podSchema = schemaOf(coreKinds.find(k => k.kind === 'Pod'));
const deploySchema = schemaOf(appsKinds.find(k => k.kind === 'Deployment'));

const pod = {
  metadata: { name: 'p', finalizers: ['a'], labels: { x: '1' } },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'i:1',
        ports: [{ containerPort: 80, name: 'http' }],
        volumeMounts: [{ name: 'v', mountPath: '/data' }],
      },
      { name: 'side', image: 's:1', args: ['--a', '--b'] },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
    tolerations: [{ key: 't' }],
  },
};

describe('strategic merge patch', () => {
  it('merges lists by their merge key and keeps the rest', () => {
    const out: any = strategicMergePatch(
      pod,
      {
        spec: {
          containers: [
            { name: 'side', image: 's:2' },
            { name: 'new', image: 'n:1' },
          ],
        },
      },
      podSchema,
    );
    expect(out.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(
      ['app=i:1', 'side=s:2', 'new=n:1'],
    );
    expect(out.spec.containers[1].args).toEqual(['--a', '--b']);
  });

  it('merges nested keyed lists (ports by containerPort, volumeMounts by mountPath)', () => {
    const out: any = strategicMergePatch(
      pod,
      {
        spec: {
          containers: [
            {
              name: 'app',
              ports: [{ containerPort: 443 }],
              volumeMounts: [{ mountPath: '/data', name: 'w' }],
            },
          ],
        },
      },
      podSchema,
    );
    expect(
      out.spec.containers[0].ports.map((p: any) => p.containerPort),
    ).toEqual([80, 443]);
    expect(out.spec.containers[0].volumeMounts).toEqual([
      { name: 'w', mountPath: '/data' },
    ]);
  });

  it('replaces lists of primitives and lists without merge keys', () => {
    const out: any = strategicMergePatch(
      pod,
      {
        spec: {
          containers: [{ name: 'side', args: ['--c'] }],
          tolerations: [{ key: 'u' }],
        },
      },
      podSchema,
    );
    expect(out.spec.containers[1].args).toEqual(['--c']);
    expect(out.spec.tolerations).toEqual([{ key: 'u' }]);
  });

  it('merges finalizers as a set and deletes from it with the directive', () => {
    const added: any = strategicMergePatch(
      pod,
      { metadata: { finalizers: ['b', 'a'] } },
      podSchema,
    );
    expect(added.metadata.finalizers).toEqual(['a', 'b']);
    const removed: any = strategicMergePatch(
      added,
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      podSchema,
    );
    expect(removed.metadata.finalizers).toEqual(['b']);
  });

  it('honours $patch delete/replace, null deletion, $retainKeys and $setElementOrder', () => {
    const del: any = strategicMergePatch(
      pod,
      { spec: { volumes: [{ name: 'v', $patch: 'delete' }] } },
      podSchema,
    );
    expect(del.spec.volumes).toEqual([]);
    const rep: any = strategicMergePatch(
      pod,
      {
        spec: {
          containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }],
        },
      },
      podSchema,
    );
    expect(rep.spec.containers).toEqual([{ name: 'only', image: 'o' }]);
    const nulled: any = strategicMergePatch(
      pod,
      { metadata: { labels: { x: null } } },
      podSchema,
    );
    expect(nulled.metadata.labels).toEqual({});
    const ordered: any = strategicMergePatch(
      pod,
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
        },
      },
      podSchema,
    );
    expect(ordered.spec.containers.map((c: any) => c.name)).toEqual([
      'side',
      'app',
    ]);
    const dep = {
      spec: {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      },
    };
    const retained: any = strategicMergePatch(
      dep,
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      deploySchema,
    );
    expect(retained.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('uses the template path for workloads', () => {
    const dep = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: '1' },
              { name: 'b', image: '1' },
            ],
          },
        },
      },
    };
    const out: any = strategicMergePatch(
      dep,
      {
        spec: {
          template: { spec: { containers: [{ name: 'b', image: '2' }] } },
        },
      },
      deploySchema,
    );
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'a', image: '1' },
      { name: 'b', image: '2' },
    ]);
  });

  it('refuses list elements without the merge key', () => {
    expect(() =>
      strategicMergePatch(
        pod,
        { spec: { containers: [{ image: 'x' }] } },
        podSchema,
      ),
    ).toThrow(/merge key: name/);
  });
});
