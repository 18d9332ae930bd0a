// better-sqlite3's install script runs prebuild-install, which downloads the binary for this Node's ABI
// from the project's GitHub releases, and compiles SQLite (1-5 minutes on these machines) when it cannot.
// GitHub is out of reach here, but `npm ci` already compiled that exact version for this Node in the
// workspace: handed to prebuild-install as a local prebuild (its `<package>_local_prebuilds` setting), the
// adopter's install takes the path an adopter's takes (install script, prebuild-install, unpack) without
// a second compile. Nothing is written to the shared npm cache.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../prereqs.mjs';

/** Writes the prebuild into `dir`; returns the environment that points prebuild-install at it. */
export function betterSqlitePrebuild(dir, version) {
  const pkgDir = join(repoRoot, 'node_modules/better-sqlite3');
  const built = join(pkgDir, 'build/Release/better_sqlite3.node');
  const workspaceVersion = JSON.parse(
    readFileSync(join(pkgDir, 'package.json'), 'utf8'),
  ).version;
  if (workspaceVersion !== version || !existsSync(built)) {
    throw new Error(
      `the workspace has no build of better-sqlite3 ${version} (found ${workspaceVersion}); run npm ci`,
    );
  }
  mkdirSync(dir, { recursive: true });
  // prebuild-install's file name: {name}-v{version}-{runtime}-v{abi}-{platform}{libc}-{arch}.tar.gz
  const file = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', [
    '-czf',
    join(dir, file),
    '-C',
    pkgDir,
    'build/Release/better_sqlite3.node',
  ]);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}
