import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressPlan } from '../../contracts';
import { addressPlanFor, MAX_OCTET, MIN_OCTET } from './addressPlan';

export function netsLockDir(): string {
  return path.join(os.tmpdir(), 'kube-sim', 'nets');
}

export interface AllocateOptions {
  /** defaults to `os.tmpdir()/kube-sim/nets` */
  lockDir?: string;
  /** the octets to try, in order; defaults to all of 20..250 starting at a random one */
  candidates?: number[];
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else; it still holds the range
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function defaultCandidates(): number[] {
  const count = MAX_OCTET - MIN_OCTET + 1;
  // a random start keeps parallel test processes from all contending for the first free octet
  const start = randomBytes(2).readUInt16BE(0) % count;
  return Array.from(
    { length: count },
    (_, i) => MIN_OCTET + ((start + i) % count),
  );
}

/**
 * Removes the lock when its owner is dead. The lock is first renamed to a name private to this call, so
 * that two processes seeing the same stale lock cannot both remove it and then remove each other's new
 * one; if the renamed lock turns out to be alive after all (it was replaced between read and rename), it
 * is linked back (link never overwrites).
 */
async function breakIfStale(lockPath: string): Promise<void> {
  let content: string;
  try {
    content = await fs.readFile(lockPath, 'utf8');
  } catch {
    return;
  }
  if (pidAlive(Number(content.split('\n')[0]))) return;
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => '');
  if (pidAlive(Number(moved.split('\n')[0]))) {
    await fs.link(aside, lockPath).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

async function tryLock(lockPath: string, content: string): Promise<boolean> {
  try {
    await fs.writeFile(lockPath, content, { flag: 'wx', mode: 0o644 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  }
}

/** Picks a free 127.N.0.0/16 and holds it with a lock file until release(). */
export async function allocateAddressPlan(
  opts: AllocateOptions = {},
): Promise<AddressPlan & { release(): void }> {
  const dir = opts.lockDir ?? netsLockDir();
  await fs.mkdir(dir, { recursive: true });
  // the token tells apart two plans held by one process (several clusters in one test)
  const content = `${process.pid}\n${randomBytes(8).toString('hex')}\n`;
  for (const octet of opts.candidates ?? defaultCandidates()) {
    const lockPath = path.join(dir, `${octet}.lock`);
    let locked = await tryLock(lockPath, content);
    if (!locked) {
      await breakIfStale(lockPath);
      locked = await tryLock(lockPath, content);
    }
    if (!locked) continue;
    let released = false;
    return {
      ...addressPlanFor(octet),
      release() {
        if (released) return;
        released = true;
        // synchronous so that it also works from an exit handler; only our own lock is removed
        try {
          if (readFileSync(lockPath, 'utf8') === content) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      },
    };
  }
  throw new Error(
    `kube-sim: no free address range 127.N.0.0/16 (N in ${MIN_OCTET}..${MAX_OCTET}); see ${dir}`,
  );
}
