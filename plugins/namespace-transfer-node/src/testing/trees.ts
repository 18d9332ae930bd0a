/**
 * Test support: builds a tree that exercises a mover's fidelity and compares two trees in detail.
 */
import { createHash } from 'node:crypto';
import {
  lchownSync, closeSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync,
  symlinkSync, utimesSync, writeFileSync, writeSync, chmodSync,
} from 'node:fs';
import { join } from 'node:path';

export interface TreeOptions {
  smallFiles: number;
  sparseBytes: number;
}

/** Many small files, a large sparse file, symlinks, hard links, odd names, an empty dir, modes and times. */
export function buildTree(root: string, opts: TreeOptions) {
  mkdirSync(root, { recursive: true });
  for (let i = 0; i < opts.smallFiles; i++) {
    const dir = join(root, 'small', `d${i % 20}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n${'x'.repeat(i % 700)}`);
  }
  const sparse = join(root, 'sparse.img');
  const fd = openSync(sparse, 'w');
  writeSync(fd, Buffer.from('head'), 0, 4, 0);
  writeSync(fd, Buffer.alloc(4096, 7), 0, 4096, Math.floor(opts.sparseBytes / 2));
  writeSync(fd, Buffer.from('tail'), 0, 4, opts.sparseBytes - 4);
  closeSync(fd);
  writeFileSync(join(root, 'original'), 'hard linked content\n');
  linkSync(join(root, 'original'), join(root, 'hardlink'));
  mkdirSync(join(root, 'nested', 'deeper'), { recursive: true });
  linkSync(join(root, 'original'), join(root, 'nested', 'deeper', 'third-link'));
  symlinkSync('original', join(root, 'relative-link'));
  symlinkSync('../small/d0', join(root, 'nested', 'dir-link'));
  symlinkSync('does/not/exist', join(root, 'dangling-link'));
  symlinkSync('/etc/hostname', join(root, 'absolute-link'));
  writeFileSync(join(root, 'name with spaces & $dollar'), 'odd');
  writeFileSync(join(root, 'ünïcødé-名前'), 'unicode');
  writeFileSync(join(root, '-starts-with-dash'), 'dash');
  mkdirSync(join(root, 'empty-dir'));
  writeFileSync(join(root, 'private'), 'secret-ish');
  chmodSync(join(root, 'private'), 0o600);
  writeFileSync(join(root, 'script.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(root, 'script.sh'), 0o750);
  mkdirSync(join(root, 'lost+found'));
  writeFileSync(join(root, 'lost+found', 'fsck-debris'), 'must not travel');
  const past = new Date('2020-02-02T02:02:02Z');
  utimesSync(join(root, 'original'), past, past);
  utimesSync(join(root, 'empty-dir'), past, past);
}

export function chownTree(root: string, uid: number, gid: number) {
  lchownSync(root, uid, gid);
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else lchownSync(p, uid, gid);
  }
}

export interface Entry {
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  size: number;
  mtimeSec: number;
  sha256?: string;
  target?: string;
  ino: number;
  nlink: number;
  blocks: number;
  uid: number;
  gid: number;
}

export function scanTree(root: string, rel = '', out = new Map<string, Entry>()): Map<string, Entry> {
  for (const name of readdirSync(join(root, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    const p = join(root, r);
    const st = lstatSync(p);
    const base = {
      mode: st.mode & 0o7777,
      size: st.size,
      mtimeSec: Math.floor(st.mtimeMs / 1000),
      ino: st.ino,
      nlink: st.nlink,
      blocks: st.blocks,
      uid: st.uid,
      gid: st.gid,
    };
    if (st.isSymbolicLink()) out.set(r, { ...base, type: 'symlink', target: readlinkSync(p) });
    else if (st.isDirectory()) {
      out.set(r, { ...base, type: 'dir' });
      scanTree(root, r, out);
    } else out.set(r, { ...base, type: 'file', sha256: createHash('sha256').update(readFileSync(p)).digest('hex') });
  }
  return out;
}

/** Paths whose type, content, mode, link target or (for files and dirs) mtime differ. */
export function diffTrees(a: Map<string, Entry>, b: Map<string, Entry>, opts: { modes?: boolean; times?: boolean } = {}): string[] {
  const diffs: string[] = [];
  for (const [path, ea] of a) {
    const eb = b.get(path);
    if (!eb) diffs.push(`missing: ${path}`);
    else if (ea.type !== eb.type) diffs.push(`type: ${path}`);
    else if (ea.sha256 !== eb.sha256) diffs.push(`content: ${path}`);
    else if (ea.target !== eb.target) diffs.push(`target: ${path}`);
    else if (opts.modes !== false && ea.type !== 'symlink' && ea.mode !== eb.mode) diffs.push(`mode: ${path} ${ea.mode.toString(8)} != ${eb.mode.toString(8)}`);
    else if (opts.times !== false && ea.type !== 'symlink' && ea.mtimeSec !== eb.mtimeSec) diffs.push(`mtime: ${path}`);
  }
  for (const path of b.keys()) if (!a.has(path)) diffs.push(`extra: ${path}`);
  return diffs;
}
