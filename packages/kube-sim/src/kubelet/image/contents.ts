import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { hostAlternatives } from './alternatives';
import { packageFiles } from './debianPackages';

/** What a simulated image holds: the Debian packages installed in it (by name, as `apt-get install` got them). */
export interface ImageSpec {
  packages: string[];
}

/**
 * What containers of a restricted image see of the executable directories: only the files of its
 * packages. Libraries, /etc and the rest of the host's system directories stay as for any image.
 */
export interface ImageContents {
  /** the image's default PATH: the standard directories its packages put executables in */
  path: string;
  /** the host's executable directories (symlinks resolved), each hidden in the container's root */
  maskedDirs: string[];
  /** a host directory that holds, under each masked directory's path, exactly the image's executables */
  root: string;
}

/** In the order of the PATH of Debian's images. */
const EXEC_DIRS = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
  '/usr/local/games',
  '/usr/games',
];

/** The path with its directory's symlinks resolved (merged /usr: /bin/sh is /usr/bin/sh), the name kept. */
async function canonical(p: string): Promise<string | undefined> {
  const dir = await fs.realpath(path.dirname(p)).catch(() => undefined);
  return dir && path.join(dir, path.basename(p));
}

/** The packages' own files in executable directories: canonical path -> the directory dpkg names. */
async function packageExecutables(
  packages: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const file of await packageFiles(packages)) {
    if (!EXEC_DIRS.includes(path.dirname(file))) continue;
    const c = await canonical(file);
    const st = c ? await fs.lstat(c).catch(() => undefined) : undefined;
    if (c && st && !st.isDirectory()) found.set(c, path.dirname(file));
  }
  return found;
}

/**
 * Links that maintainer scripts made through update-alternatives (`awk` -> mawk): an image has them for
 * the choice among its own packages with the highest priority, whatever the host chose.
 */
async function alternativeLinks(
  executables: Map<string, string>,
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const group of await hostAlternatives()) {
    const candidates: Array<{
      priority: number;
      slaves: Map<string, string>;
      path: string;
    }> = [];
    for (const choice of group.choices) {
      const c = await canonical(choice.path);
      if (c && executables.has(c)) candidates.push(choice);
    }
    const best = candidates.sort((a, b) => b.priority - a.priority)[0];
    if (!best) continue;
    for (const link of [group.link, ...group.slaveLinks]) {
      if (!EXEC_DIRS.includes(path.dirname(link))) continue;
      const target =
        link === group.link ? best.path : best.slaves.get(link) || undefined;
      const [from, to] = await Promise.all([
        canonical(link),
        target ? canonical(target) : undefined,
      ]);
      if (from && to && executables.has(to)) links.set(from, to);
    }
  }
  return links;
}

async function placeFile(source: string, dest: string): Promise<void> {
  const st = await fs.lstat(source);
  if (st.isSymbolicLink()) {
    await fs.symlink(await fs.readlink(source), dest);
    return;
  }
  // a hard link costs nothing; another file system gets a copy
  await fs.link(source, dest).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EXDEV' && e.code !== 'EPERM') throw e;
    await fs.copyFile(source, dest);
    await fs.chmod(dest, st.mode & 0o7777);
  });
}

async function maskedDirs(): Promise<string[]> {
  const dirs = new Set<string>();
  for (const d of EXEC_DIRS) {
    const real = await fs.realpath(d).catch(() => undefined);
    if (real && (await fs.stat(real)).isDirectory()) dirs.add(real);
  }
  return [...dirs];
}

/**
 * Lays out one image's executables under `root` (a directory of the kubelet's) from the host's
 * installation of its packages. Fails when the host lacks one of them: such an image cannot be simulated.
 */
export async function prepareImageContents(
  spec: ImageSpec,
  root: string,
): Promise<ImageContents> {
  const executables = await packageExecutables(spec.packages);
  const links = await alternativeLinks(executables);
  const dirs = await maskedDirs();
  await fs.rm(root, { recursive: true, force: true });
  for (const d of dirs)
    await fs.mkdir(path.join(root, d), { recursive: true, mode: 0o755 });
  for (const file of executables.keys())
    await placeFile(file, path.join(root, file));
  for (const [link, target] of links) {
    if (executables.has(link)) continue;
    // relative, so that it resolves the same inside the container's root and from the host
    await fs.symlink(
      path.relative(path.dirname(link), target),
      path.join(root, link),
    );
  }
  const pathDirs = new Set(executables.values());
  for (const link of links.keys()) pathDirs.add(path.dirname(link));
  return {
    path: EXEC_DIRS.filter(d => pathDirs.has(d)).join(':'),
    maskedDirs: dirs,
    root,
  };
}

/** The node's restricted images, by the exact image reference containers name. */
export class ImageCatalog {
  private constructor(private readonly images: Map<string, ImageContents>) {}

  static async prepare(
    specs: Record<string, ImageSpec> | undefined,
    dataDir: string,
  ): Promise<ImageCatalog> {
    const images = new Map<string, ImageContents>();
    for (const [name, spec] of Object.entries(specs ?? {})) {
      const id = createHash('sha256').update(name).digest('hex').slice(0, 16);
      images.set(
        name,
        await prepareImageContents(spec, path.join(dataDir, 'images', id)),
      );
    }
    return new ImageCatalog(images);
  }

  /** undefined: an image the node knows nothing about, which sees the host's executables */
  contentsOf(image: string | undefined): ImageContents | undefined {
    return image === undefined ? undefined : this.images.get(image);
  }
}
