import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface Projection {
  /** relative path inside the volume */
  path: string;
  content: Buffer;
  mode: number;
}

/**
 * Writes projected files the way the kubelet's AtomicWriter lays them out: the payload in a timestamped
 * directory, `..data` pointing at it, and each top-level name a symlink through `..data`. Applications that
 * watch for updates (and tools that `stat -L`) see what they see on a real node.
 */
export async function writeProjection(
  dir: string,
  files: Projection[],
): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const stamp = `..${new Date().toISOString().replace(/[-:]/g, '_').replace('Z', '')}.${process.hrtime.bigint() % 1000000n}`;
  const payload = path.join(dir, stamp);
  await fs.mkdir(payload, { mode: 0o755 });
  const tops = new Set<string>();
  for (const f of files) {
    const rel = path.normalize(f.path);
    if (rel.startsWith('..') || path.isAbsolute(rel))
      throw new Error(`invalid path ${f.path}`);
    const target = path.join(payload, rel);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
    await fs.writeFile(target, f.content);
    await fs.chmod(target, f.mode);
    tops.add(rel.split(path.sep)[0]);
  }
  const tmpLink = path.join(dir, '..data_tmp');
  await fs.rm(tmpLink, { force: true });
  await fs.symlink(stamp, tmpLink);
  const old = await fs
    .readlink(path.join(dir, '..data'))
    .catch(() => undefined);
  await fs.rename(tmpLink, path.join(dir, '..data'));
  for (const top of tops) {
    const link = path.join(dir, top);
    const existing = await fs.readlink(link).catch(() => undefined);
    if (existing !== path.join('..data', top)) {
      await fs.rm(link, { force: true, recursive: true });
      await fs.symlink(path.join('..data', top), link);
    }
  }
  if (old && old !== stamp)
    await fs.rm(path.join(dir, old), { recursive: true, force: true });
}
