// A Node version as the npm registry ships it (the `node` package, which brings node-<platform>-<arch>:
// bin/node and the headers in include/node), and better-sqlite3 compiled for its ABI from those headers
// (node-gyp cannot download headers here), in a directory of its own: the workspace's Node 20 build in
// node_modules stays as it is for every other run.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../prereqs.mjs';

export function log(line) {
  process.stdout.write(`[node-versions] ${line}\n`);
}

/** npm settings of the calling `npm test` must not reach npx or node-gyp. */
export function cleanEnv(extra = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^npm_/i.test(k) && k !== 'NODE_OPTIONS' && k !== 'INIT_CWD',
    ),
  );
  return { ...env, ...extra };
}

const cacheDir = join(repoRoot, 'node_modules/.cache/nstransfer-node-versions');

/**
 * The binary and headers of the newest `node@<major>`. npx names the version (and leaves a binary in its
 * cache), but prunes the platform package that holds the headers on its next run, so that package
 * (node-<platform>-<arch>, what the `node` package installs) is unpacked into a directory of our own,
 * once per version: from the npm cache after the first time.
 */
export function nodeRuntime(major) {
  const args = ['-y', '-p', `node@${major}`, 'node', '-p', 'process.version'];
  log(`$ npx ${args.join(' ')}`);
  const version = execFileSync('npx', args, {
    cwd: tmpdir(), // outside the workspace: npx must not look at its packages
    env: cleanEnv(),
    encoding: 'utf8',
  }).trim();
  if (!version.startsWith(`v${major}.`))
    throw new Error(`npx -p node@${major} ran ${version}`);
  const spec = `node-${process.platform}-${process.arch}@${version.slice(1)}`;
  const nodedir = join(cacheDir, `node-${version}`);
  const bin = join(nodedir, 'bin/node');
  if (
    !existsSync(join(nodedir, 'include/node/node_version.h')) ||
    !existsSync(bin)
  ) {
    rmSync(nodedir, { recursive: true, force: true });
    mkdirSync(nodedir, { recursive: true });
    log(`$ npm pack ${spec} --prefer-offline, unpacked into ${nodedir}`);
    const file = execFileSync(
      'npm',
      ['pack', spec, '--prefer-offline', '--pack-destination', nodedir],
      {
        cwd: tmpdir(),
        env: cleanEnv(),
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', [
      '-xzf',
      join(nodedir, file),
      '-C',
      nodedir,
      '--strip-components=1',
    ]);
    rmSync(join(nodedir, file));
  }
  const abi = execFileSync(
    bin,
    ['-p', 'process.version + " " + process.versions.modules'],
    {
      encoding: 'utf8',
    },
  )
    .trim()
    .split(' ');
  if (abi[0] !== version)
    throw new Error(`${bin} is ${abi[0]}, not ${version}`);
  return { bin, version, abi: abi[1], nodedir };
}

function nodeGypScript() {
  const prefix = execFileSync('npm', ['prefix', '-g'], {
    encoding: 'utf8',
    env: cleanEnv(),
  }).trim();
  const candidates = [
    join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    join(prefix, 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  const found = candidates.find(existsSync);
  if (!found)
    throw new Error(
      `node-gyp not found with npm (looked at ${candidates.join(', ')})`,
    );
  return found;
}

/**
 * better_sqlite3.node for `runtime`, built once per better-sqlite3 version and Node version into
 * node_modules/.cache (ignored by git; a fresh clone builds it, ~1.5 min of CPU).
 */
export function betterSqliteAddon(runtime) {
  const source = join(repoRoot, 'node_modules/better-sqlite3');
  const { version } = JSON.parse(
    readFileSync(join(source, 'package.json'), 'utf8'),
  );
  const dir = join(
    cacheDir,
    `better-sqlite3-${version}-node-${runtime.version}`,
  );
  const addon = join(dir, 'build/Release/better_sqlite3.node');
  if (existsSync(addon)) {
    log(
      `better-sqlite3 ${version} for ${runtime.version} (ABI ${runtime.abi}): built before, ${addon}`,
    );
    return addon;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // the package's sources (binding.gyp, src/, deps/ with SQLite), not its Node 20 build
  cpSync(source, dir, {
    recursive: true,
    filter: src => !src.startsWith(join(source, 'build')),
  });
  const args = [
    nodeGypScript(),
    'rebuild',
    '--release',
    `--nodedir=${runtime.nodedir}`,
  ];
  log(`$ (cd ${dir} && ${runtime.bin} ${args.join(' ')})`);
  const started = Date.now();
  execFileSync(runtime.bin, args, {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: cleanEnv({ PATH: `${dirname(runtime.bin)}:${process.env.PATH}` }),
  });
  if (!existsSync(addon)) throw new Error(`node-gyp left no ${addon}`);
  writeFileSync(join(dir, 'built-with'), `${runtime.bin} ${runtime.version}\n`);
  log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${addon}`);
  return addon;
}

/**
 * better-sqlite3 13 as the registry ships it (Node-API, with a prebuilt linux addon inside the package),
 * unpacked once into the cache. 12.x aborts on Node 24 whenever the GC collects a Statement outside a
 * Node context (`RemoveEnvironmentCleanupHook`, upstream WiseLibs/better-sqlite3#1515), in a plain
 * process as in Jest; 13 is the fixed line, but asks for Node-API 10, which no Node 20 has, so the
 * workspace keeps 12 and only the Node 24 runs use this package.
 */
export const BETTER_SQLITE3_NODE24 = '13.2.0';

export function betterSqlitePackage(runtime, version = BETTER_SQLITE3_NODE24) {
  const dir = join(cacheDir, `better-sqlite3-${version}`);
  const pkg = join(dir, 'package');
  if (!existsSync(join(pkg, 'package.json'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(
      `$ npm pack better-sqlite3@${version} --prefer-offline, unpacked into ${pkg}`,
    );
    const file = execFileSync(
      'npm',
      [
        'pack',
        `better-sqlite3@${version}`,
        '--prefer-offline',
        '--pack-destination',
        dir,
      ],
      { cwd: tmpdir(), env: cleanEnv(), encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['-xzf', join(dir, file), '-C', dir]);
    rmSync(join(dir, file));
  }
  // its prebuilt addon must load on this Node, or every SQLite test would fail for a reason of ours
  execFileSync(
    runtime.bin,
    [
      '-e',
      `new (require(${JSON.stringify(pkg)}))(':memory:').prepare('select 1').get()`,
    ],
    { env: cleanEnv() },
  );
  log(
    `better-sqlite3 ${version} (Node-API prebuild) loads on ${runtime.version}: ${pkg}`,
  );
  return pkg;
}
