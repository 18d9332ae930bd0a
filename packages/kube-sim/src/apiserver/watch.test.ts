import { Store } from './store';
import { WatchHub } from './watch';

describe('watch cache and store', () => {
  const obj = (name: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'n' },
  });

  it('numbers every write from one cluster-wide counter', () => {
    const s = new Store();
    const a = s.create('configmaps', obj('a'));
    const b = s.create('secrets', obj('b'));
    expect(Number(b.metadata.resourceVersion)).toBe(
      Number(a.metadata.resourceVersion) + 1,
    );
    const gone = s.remove('configmaps', a);
    expect(Number(gone.metadata.resourceVersion)).toBe(3);
    expect(s.get('configmaps', 'n', 'a')).toBeUndefined();
  });

  it('returns copies, never the stored object', () => {
    const s = new Store();
    s.create('configmaps', obj('a'));
    s.get('configmaps', 'n', 'a')!.metadata.name = 'changed';
    expect(s.list('configmaps')[0].metadata.name).toBe('a');
  });

  it('replays events after a resourceVersion and expires what fell out of the window', () => {
    const s = new Store(new WatchHub(3));
    for (const n of ['a', 'b', 'c', 'd', 'e']) s.create('configmaps', obj(n));
    expect(
      s.hub.since('configmaps', 3).map(e => e.object.metadata.name),
    ).toEqual(['d', 'e']);
    expect(
      s.hub.since('configmaps', 2).map(e => e.object.metadata.name),
    ).toEqual(['c', 'd', 'e']);
    expect(() => s.hub.since('configmaps', 1)).toThrow(
      expect.objectContaining({ code: 410 }),
    );
    // other resources keep their own window
    expect(s.hub.since('secrets', 0)).toEqual([]);
  });

  it('delivers live events to subscribers until they unsubscribe', () => {
    const s = new Store();
    const seen: string[] = [];
    const off = s.hub.subscribe('configmaps', e =>
      seen.push(`${e.type}:${e.object.metadata.name}`),
    );
    const a = s.create('configmaps', obj('a'));
    s.update('configmaps', { ...a, data: { x: '1' } }, a);
    off();
    s.create('configmaps', obj('b'));
    expect(seen).toEqual(['ADDED:a', 'MODIFIED:a']);
  });
});
