/**
 * Test support: builds a tree that exercises a mover's fidelity and compares two trees in detail.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  lchownSync,
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
  chmodSync,
} from 'node:fs';
import { join } from 'node:path';

export interface TreeOptions {
  smallFiles: number;
  sparseBytes: number;
  /** A fully written (not sparse) file of random bytes; 1 MiB unless given. */
  largeBytes?: number;
}

/**
 * Names a shell would split, expand or glob if a script ever forgot to quote them (newline-free: a
 * newline in a name is legal but breaks the line-based tools on both ends of every mover).
 */
export const HOSTILE_NAMES = [
  `it's "quoted"`,
  'star * and ? and [ab]',
  '$HOME and $(echo no) and `echo no`',
  'semi;colon|pipe&amp<lt>gt',
  'back\\slash',
  '#hash %percent ~tilde',
  ' leading and trailing space ',
  '\ttab\tinside',
];

/** Many small files, large and sparse files, symlinks, hard links, odd names, an empty dir, modes and times. */
export function buildTree(root: string, opts: TreeOptions) {
  mkdirSync(root, { recursive: true });
  writeRandomFile(join(root, 'large.bin'), opts.largeBytes ?? 1024 * 1024);
  for (let i = 0; i < opts.smallFiles; i++) {
    const dir = join(root, 'small', `d${i % 20}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n${'x'.repeat(i % 700)}`);
  }
  const sparse = join(root, 'sparse.img');
  const fd = openSync(sparse, 'w');
  writeSync(fd, Buffer.from('head'), 0, 4, 0);
  writeSync(
    fd,
    Buffer.alloc(4096, 7),
    0,
    4096,
    Math.floor(opts.sparseBytes / 2),
  );
  writeSync(fd, Buffer.from('tail'), 0, 4, opts.sparseBytes - 4);
  closeSync(fd);
  writeFileSync(join(root, 'original'), 'hard linked content\n');
  linkSync(join(root, 'original'), join(root, 'hardlink'));
  mkdirSync(join(root, 'nested', 'deeper'), { recursive: true });
  linkSync(
    join(root, 'original'),
    join(root, 'nested', 'deeper', 'third-link'),
  );
  symlinkSync('original', join(root, 'relative-link'));
  symlinkSync('../small/d0', join(root, 'nested', 'dir-link'));
  symlinkSync('does/not/exist', join(root, 'dangling-link'));
  symlinkSync('/etc/hostname', join(root, 'absolute-link'));
  writeFileSync(join(root, 'name with spaces & $dollar'), 'odd');
  writeFileSync(join(root, 'ünïcødé-名前'), 'unicode');
  writeFileSync(join(root, '-starts-with-dash'), 'dash');
  mkdirSync(join(root, `dir "with" *odd* $names`));
  for (const name of HOSTILE_NAMES) {
    writeFileSync(join(root, name), `named ${name}`);
    writeFileSync(join(root, `dir "with" *odd* $names`, name), name);
  }
  symlinkSync(HOSTILE_NAMES[0], join(root, 'link to $odd*'));
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

/** Written in 1 MiB chunks so large files do not need that much memory at once. */
export function writeRandomFile(path: string, bytes: number) {
  const fd = openSync(path, 'w');
  try {
    const chunk = randomBytes(Math.min(bytes, 1024 * 1024));
    for (let done = 0; done < bytes; done += chunk.length)
      writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - done));
  } finally {
    closeSync(fd);
  }
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

export function scanTree(
  root: string,
  rel = '',
  out = new Map<string, Entry>(),
): Map<string, Entry> {
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
    if (st.isSymbolicLink())
      out.set(r, { ...base, type: 'symlink', target: readlinkSync(p) });
    else if (st.isDirectory()) {
      out.set(r, { ...base, type: 'dir' });
      scanTree(root, r, out);
    } else
      out.set(r, {
        ...base,
        type: 'file',
        sha256: createHash('sha256').update(readFileSync(p)).digest('hex'),
      });
  }
  return out;
}

export interface DiffOptions {
  modes?: boolean;
  times?: boolean;
  /** Files hard-linked together in `a` are one inode in `b` too. */
  links?: boolean;
  /** Files that are sparse in `a` (allocated well below their size) stay sparse in `b`. */
  sparse?: boolean;
}

/**
 * Paths whose type, content, mode, link target or (for files and dirs) mtime differ, hard-link groups
 * that were split up, and sparse files that got filled in. All checks are on unless turned off.
 */
export function diffTrees(
  a: Map<string, Entry>,
  b: Map<string, Entry>,
  opts: DiffOptions = {},
): string[] {
  const diffs: string[] = [];
  for (const [path, ea] of a) {
    const eb = b.get(path);
    if (!eb) diffs.push(`missing: ${path}`);
    else if (ea.type !== eb.type) diffs.push(`type: ${path}`);
    else if (ea.sha256 !== eb.sha256) diffs.push(`content: ${path}`);
    else if (ea.target !== eb.target) diffs.push(`target: ${path}`);
    else if (
      opts.modes !== false &&
      ea.type !== 'symlink' &&
      ea.mode !== eb.mode
    )
      diffs.push(
        `mode: ${path} ${ea.mode.toString(8)} != ${eb.mode.toString(8)}`,
      );
    else if (
      opts.times !== false &&
      ea.type !== 'symlink' &&
      ea.mtimeSec !== eb.mtimeSec
    )
      diffs.push(`mtime: ${path}`);
    else if (
      opts.sparse !== false &&
      isSparse(ea) &&
      eb.blocks > ea.blocks * 2 + 64
    )
      diffs.push(`sparse: ${path} ${ea.blocks} -> ${eb.blocks} blocks`);
  }
  for (const path of b.keys()) if (!a.has(path)) diffs.push(`extra: ${path}`);
  if (opts.links !== false) diffs.push(...splitLinks(a, b));
  return diffs;
}

// st_blocks counts 512-byte units whatever the filesystem's block size
function isSparse(e: Entry): boolean {
  return (
    e.type === 'file' && e.size >= 1024 * 1024 && e.blocks * 512 < e.size / 2
  );
}

function splitLinks(a: Map<string, Entry>, b: Map<string, Entry>): string[] {
  const groups = new Map<number, string[]>();
  for (const [path, e] of a)
    if (e.type === 'file' && e.nlink > 1)
      groups.set(e.ino, [...(groups.get(e.ino) ?? []), path]);
  const diffs: string[] = [];
  for (const paths of groups.values()) {
    if (paths.length < 2) continue;
    const inodes = new Set(paths.map(p => b.get(p)?.ino));
    if (inodes.size !== 1) diffs.push(`hardlinks split: ${paths.join(', ')}`);
  }
  return diffs;
}
