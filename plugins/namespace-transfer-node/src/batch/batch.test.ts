import { batchSpecs, runBatch } from '.';
import { isDnsLabel } from '../naming';

describe('runBatch', () => {
  it('keeps to the concurrency limit, isolates failures, and keeps the input order', async () => {
    let running = 0;
    let peak = 0;
    const task = (key: string, ms: number, fail = false) => ({
      key,
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise(r => setTimeout(r, ms));
        running--;
        if (fail) throw new Error(`${key} broke`);
        return key.toUpperCase();
      },
    });
    const settled: string[] = [];
    const out = await runBatch(
      [
        task('a', 30),
        task('b', 5, true),
        task('c', 10),
        task('d', 5),
        task('e', 1),
      ],
      {
        concurrency: 2,
        onSettled: o => settled.push(o.key),
      },
    );
    expect(peak).toBe(2);
    expect(out.map(o => [o.key, o.ok, o.value ?? o.error])).toEqual([
      ['a', true, 'A'],
      ['b', false, 'b broke'],
      ['c', true, 'C'],
      ['d', true, 'D'],
      ['e', true, 'E'],
    ]);
    expect(settled).toHaveLength(5);
  });

  it('starts nothing new after a cancel', async () => {
    const ac = new AbortController();
    const out = await runBatch(
      [1, 2, 3].map(n => ({
        key: String(n),
        run: async () => {
          if (n === 1) ac.abort();
          return n;
        },
      })),
      { concurrency: 1, signal: ac.signal },
    );
    expect(out.map(o => o.ok)).toEqual([true, false, false]);
    expect(out[2].error).toBe('cancelled before it started');
  });
});

describe('batchSpecs', () => {
  it('derives one transfer per PVC of the chosen namespaces with stable, distinct, DNS-safe ids', () => {
    const req = {
      id: 'move-shop',
      sourceCluster: 'east',
      destinationCluster: 'west',
      namespaces: { shop: 'shop', cart: 'cart-new' },
      mode: 'copy' as const,
      intent: 'move' as const,
    };
    const pvcs = [
      { namespace: 'cart', name: 'db' },
      { namespace: 'shop', name: 'data' },
      { namespace: 'other', name: 'x' },
      { namespace: 'shop', name: 'cache' },
    ];
    const specs = batchSpecs(req, pvcs);
    expect(
      specs.map(
        s =>
          `${s.source.namespace}/${s.source.name}->${s.destination.namespace}`,
      ),
    ).toEqual(['cart/db->cart-new', 'shop/cache->shop', 'shop/data->shop']);
    expect(new Set(specs.map(s => s.id)).size).toBe(3);
    expect(specs.every(s => isDnsLabel(s.id))).toBe(true);
    expect(batchSpecs(req, pvcs.reverse()).map(s => s.id)).toEqual(
      specs.map(s => s.id),
    );
  });
});
