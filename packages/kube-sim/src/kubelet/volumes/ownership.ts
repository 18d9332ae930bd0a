import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

/**
 * The kubelet's SetVolumeOwnership: every file gets group fsGroup and group read (and write for a
 * read-write volume); directories also get group execute and setgid so new files inherit the group.
 * With fsGroupChangePolicy OnRootMismatch the walk is skipped when the root already looks right.
 */
export async function setVolumeOwnership(
  dir: string,
  fsGroup: number,
  readOnly: boolean,
  policy: string | undefined,
): Promise<void> {
  if (
    policy === 'OnRootMismatch' &&
    !(await needsChange(dir, fsGroup, readOnly))
  )
    return;
  const mask = readOnly ? RO_MASK : RW_MASK;
  const walk = async (p: string): Promise<void> => {
    const st = await fs.lstat(p);
    if (st.isSymbolicLink()) {
      // Only the link itself changes group; its target is visited on its own (or lies outside).
      await fs.lchown(p, -1, fsGroup).catch(() => undefined);
      return;
    }
    await fs.chown(p, -1, fsGroup);
    let mode = (st.mode & 0o7777) | mask;
    if (st.isDirectory()) mode |= SETGID | EXEC_MASK;
    await fs.chmod(p, mode);
    if (st.isDirectory()) {
      for (const entry of await fs.readdir(p)) await walk(path.join(p, entry));
    }
  };
  await walk(dir);
}

async function needsChange(
  dir: string,
  fsGroup: number,
  readOnly: boolean,
): Promise<boolean> {
  const st = await fs.stat(dir);
  if (st.gid !== fsGroup) return true;
  const mask = readOnly ? RO_MASK : RW_MASK;
  if ((st.mode & mask) !== mask) return true;
  if (
    st.isDirectory() &&
    ((st.mode & SETGID) === 0 || (st.mode & EXEC_MASK) !== EXEC_MASK)
  )
    return true;
  return false;
}
