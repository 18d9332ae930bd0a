import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_DIR } from '../../lib/packageDir';

const run = promisify(execFile);

/** The C source of the LD_PRELOAD shim; read from the package so that its hash names the build. */
export const SHIM_SOURCE = path.join(
  PACKAGE_DIR,
  'src',
  'network',
  'shim',
  'shim.c',
);

// Several clusters (and several test processes) start at once and share the cache: the first to finish
// renames its build into place, the others find it. A build is keyed by the source hash so an edited shim
// never reuses an old library.
const inflight = new Map<string, Promise<string>>();

export interface BuildShimOptions {
  cacheDir?: string;
  compiler?: string;
}

export function shimCacheDir(): string {
  return path.join(os.tmpdir(), 'kube-sim');
}

export async function buildShim(opts: BuildShimOptions = {}): Promise<string> {
  const source = await fs.readFile(SHIM_SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = opts.cacheDir ?? shimCacheDir();
  const target = path.join(dir, `shim-${hash}.so`);
  const pending = inflight.get(target);
  if (pending) return pending;
  const build = compileOnce(
    source,
    dir,
    target,
    opts.compiler ?? process.env.CC ?? 'cc',
  );
  inflight.set(target, build);
  try {
    return await build;
  } finally {
    inflight.delete(target);
  }
}

async function compileOnce(
  source: Buffer,
  dir: string,
  target: string,
  compiler: string,
): Promise<string> {
  try {
    await fs.access(target);
    return target;
  } catch {
    // not built yet
  }
  await fs.mkdir(dir, { recursive: true });
  const work = await fs.mkdtemp(path.join(dir, 'shim-build-'));
  try {
    const src = path.join(work, 'shim.c');
    const out = path.join(work, 'shim.so');
    await fs.writeFile(src, source);
    try {
      await run(compiler, [
        '-shared',
        '-fPIC',
        '-O2',
        '-Wall',
        '-o',
        out,
        src,
        '-ldl',
      ]);
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(
        `kube-sim: building the network shim with ${compiler} failed: ${err.stderr || err.message}`,
      );
    }
    await fs.chmod(out, 0o755);
    await fs.rename(out, target);
    return target;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
