import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readWorld, WorldNames, worldFile } from './world';

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('world names', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'world-test-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('publishes each cluster’s names and tells every cluster about all of them', async () => {
    let east = '';
    let west = '';
    const e = new WorldNames(dir, 'east', r => (east = r));
    const w = new WorldNames(dir, 'west', r => (west = r));
    await Promise.all([e.start(), w.start()]);
    await e.publish(
      ['b.apps.east.test', 'a.apps.east.test', 'A.apps.east.test'].map(
        name => ({ ip: '127.61.0.2', name }),
      ),
    );
    await w.publish([{ ip: '127.62.0.2', name: 'x.apps.west.test' }]);
    const both =
      '# east\n127.61.0.2 a.apps.east.test\n127.61.0.2 b.apps.east.test\n# west\n127.62.0.2 x.apps.west.test\n';
    await until(() => east === both && west === both);
    expect(await readWorld(dir)).toBe(both);

    // a cluster that stops takes its names away, and only its own
    await w.stop();
    expect(await fs.readdir(dir)).toEqual(['east.hosts']);
    await until(
      () =>
        east ===
        '# east\n127.61.0.2 a.apps.east.test\n127.61.0.2 b.apps.east.test\n',
    );
    await e.stop();
    await expect(fs.access(worldFile(dir, 'east'))).rejects.toThrow();
  });

  it('notices a file written by another process', async () => {
    let seen = '';
    const e = new WorldNames(dir, 'east', r => (seen = r));
    await e.start();
    try {
      await fs.writeFile(
        path.join(dir, 'other.hosts'),
        '127.70.0.2 y.example.test\n',
      );
      await until(() => seen.includes('y.example.test'));
    } finally {
      await e.stop();
    }
  });
});
