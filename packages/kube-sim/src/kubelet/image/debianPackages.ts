import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A package of an image's list that the host does not have installed: the image cannot be simulated. */
export class UnknownPackageError extends Error {}

/**
 * The paths the host's dpkg installed for these packages (`dpkg-query -L`), which is what an image
 * built with `apt-get install` of the same packages on the same Debian release holds of them.
 */
export async function packageFiles(packages: string[]): Promise<string[]> {
  if (packages.length === 0) return [];
  const out = await run('dpkg-query', ['-L', ...packages], {
    maxBuffer: 64 * 1024 * 1024,
  }).catch((e: { stderr?: string; message: string }) => {
    throw new UnknownPackageError(
      `cannot list the files of ${packages.join(', ')} on this host: ${(e.stderr || e.message).trim()}`,
    );
  });
  // besides paths, dpkg-query prints diversion notes ("package diverts others to: ...")
  return out.stdout.split('\n').filter(l => l.startsWith('/'));
}
