import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CriLogWriter, readCriLog, renderEntries } from './criLog';

describe('CRI log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crilog-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('round-trips interleaved streams, split chunks and a last line without newline', async () => {
    const file = path.join(dir, '0.log');
    const w = new CriLogWriter(file);
    w.write('stdout', Buffer.from('hel'));
    w.write('stderr', Buffer.from('oops\n'));
    w.write('stdout', Buffer.from('lo\nworld\nno-newline'));
    await w.close();
    const raw = await fs.readFile(file, 'utf8');
    expect(raw).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stderr F oops\n/,
    );
    const entries = await readCriLog(file);
    expect(renderEntries(entries, {}).toString()).toBe(
      'oops\nhello\nworld\nno-newline\n',
    );
    expect(renderEntries(entries, { tailLines: 2 }).toString()).toBe(
      'world\nno-newline\n',
    );
    expect(renderEntries(entries, { tailLines: 0 }).toString()).toBe('');
    expect(renderEntries(entries, { limitBytes: 7 }).toString()).toBe(
      'oops\nhe',
    );
    expect(
      renderEntries(entries, { timestamps: true, tailLines: 1 }).toString(),
    ).toMatch(/^\S+Z no-newline\n$/);
  });

  it('splits over-long lines into partial entries that render back as one line', async () => {
    const file = path.join(dir, '1.log');
    const w = new CriLogWriter(file);
    const long = 'x'.repeat(40000);
    w.write('stdout', Buffer.from(`${long}\nshort\n`));
    await w.close();
    const entries = await readCriLog(file);
    expect(entries.length).toBe(4);
    expect(renderEntries(entries, { tailLines: 2 }).toString()).toBe(
      `${long}\nshort\n`,
    );
  });
});
