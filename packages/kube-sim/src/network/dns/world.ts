import { FSWatcher, promises as fs, watch } from 'node:fs';
import path from 'node:path';

const POLL_MS = 1000;
const DEBOUNCE_MS = 50;

export function worldFile(worldDir: string, clusterName: string): string {
  return path.join(worldDir, `${clusterName}.hosts`);
}

export interface ExternalName {
  ip: string;
  name: string;
}

export function renderWorldFile(
  clusterName: string,
  names: ExternalName[],
): string {
  const lines = [
    ...new Set(names.map(n => `${n.ip} ${n.name.toLowerCase()}`)),
  ].sort();
  return [`# ${clusterName}`, ...lines, ''].join('\n');
}

/** Every `<worldDir>/*.hosts`, in name order, concatenated. */
export async function readWorld(worldDir: string): Promise<string> {
  let files: string[];
  try {
    files = (await fs.readdir(worldDir))
      .filter(f => f.endsWith('.hosts'))
      .sort();
  } catch {
    return '';
  }
  const parts = await Promise.all(
    files.map(f => fs.readFile(path.join(worldDir, f), 'utf8').catch(() => '')),
  );
  return parts.map(p => (p.endsWith('\n') || p === '' ? p : `${p}\n`)).join('');
}

/**
 * One cluster's share of the world's names: it publishes its own external names in its world file
 * (written to a temp file and renamed, so readers never see half of it) and tells its owner whenever any
 * cluster's file changes. fs.watch is fast but may miss events (and is not available on every
 * file system), so a poll backs it up.
 */
export class WorldNames {
  private watcher?: FSWatcher;
  private poll?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;
  private lastSeen = '';
  private lastPublished?: string;
  private stopped = false;

  constructor(
    private readonly worldDir: string,
    private readonly clusterName: string,
    private readonly onChange: (records: string) => void,
  ) {}

  async start(): Promise<void> {
    await fs.mkdir(this.worldDir, { recursive: true });
    try {
      this.watcher = watch(this.worldDir, () => this.schedule());
      this.watcher.on('error', () => undefined);
    } catch {
      // polling alone
    }
    this.poll = setInterval(() => this.schedule(), POLL_MS);
    this.poll.unref();
    await this.check();
  }

  async publish(names: ExternalName[]): Promise<void> {
    const content = renderWorldFile(this.clusterName, names);
    if (content === this.lastPublished || this.stopped) return;
    this.lastPublished = content;
    const file = worldFile(this.worldDir, this.clusterName);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, content);
    await fs.rename(tmp, file);
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.poll) clearInterval(this.poll);
    if (this.debounce) clearTimeout(this.debounce);
    await fs.rm(worldFile(this.worldDir, this.clusterName), { force: true });
  }

  private schedule(): void {
    if (this.stopped || this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.check();
    }, DEBOUNCE_MS);
  }

  private async check(): Promise<void> {
    const records = await readWorld(this.worldDir);
    if (this.stopped || records === this.lastSeen) return;
    this.lastSeen = records;
    this.onChange(records);
  }
}
