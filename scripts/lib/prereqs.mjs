// What a fresh machine with only Node 20 lacks, and how this project gets it. Used by `npm run demo`,
// `npm test` and .ci/run, so the README's two commands work on a new machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(
  /\/$/,
  '',
);

// The data plane runs in kube-sim's kubelet as host processes, the e2e tests drive Debian's Chromium.
const DEBIAN_PACKAGES = {
  rsync: 'rsync',
  stunnel4: 'stunnel4',
  rclone: 'rclone',
  openssl: 'openssl',
  chromium: 'chromium',
  setpriv: 'util-linux',
  unshare: 'util-linux',
  cc: 'gcc',
};

const onPath = cmd =>
  spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status ===
  0;

function log(msg) {
  process.stdout.write(`[prereqs] ${msg}\n`);
}

export function ensureDebianPackages({ needBrowser = true } = {}) {
  const missing = new Set();
  for (const [cmd, pkg] of Object.entries(DEBIAN_PACKAGES)) {
    if (!needBrowser && cmd === 'chromium') continue;
    if (!onPath(cmd)) missing.add(pkg);
  }
  if (!missing.size) return;
  const list = [...missing].join(' ');
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    throw new Error(
      `missing programs; install them with: sudo apt-get install -y ${list}`,
    );
  }
  log(`installing Debian packages: ${list}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync(
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', ...missing],
    {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    },
  );
}

export function ensureNodeModules() {
  const marker = join(repoRoot, 'node_modules', '.package-lock.json');
  const lock = join(repoRoot, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs)
    return;
  // The committed lock is complete (every platform's optional packages), so `npm ci` installs exactly it on
  // a fresh machine; over an existing node_modules, `npm install` only adds what changed. Either must leave
  // the lock as it is: .ci/run fails on a checkout the install dirtied.
  const fresh = !existsSync(join(repoRoot, 'node_modules'));
  log(
    `installing npm dependencies (npm ${fresh ? 'ci' : 'install'} from package-lock.json, a few minutes the first time)`,
  );
  execFileSync('npm', [fresh ? 'ci' : 'install', '--no-audit', '--no-fund'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}

/** Files the install (or anything before the tests) changed in a git checkout; [] outside one. */
export function dirtyFiles() {
  const r = spawnSync('git', ['status', '--porcelain'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) return [];
  return r.stdout.split('\n').filter(Boolean);
}

export const POSTGRES_URL = 'postgresql://postgres:postgres@127.0.0.1:5432';

export function ensurePostgres() {
  const ready = () =>
    spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], {
      stdio: 'ignore',
    }).status === 0;
  if (onPath('pg_isready') && ready()) return true;
  if (process.getuid?.() !== 0) return false;
  if (!existsSync('/etc/postgresql')) {
    log('installing PostgreSQL');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const version = execFileSync('ls', ['/etc/postgresql'])
    .toString()
    .trim()
    .split('\n')[0];
  log(`starting PostgreSQL ${version}`);
  spawnSync(
    'pg_ctlcluster',
    ['--skip-systemctl-redirect', version, 'main', 'start'],
    { stdio: 'inherit' },
  );
  for (let i = 0; i < 30 && !ready(); i++) spawnSync('sleep', ['1']);
  if (!ready()) return false;
  // A fresh Debian install asks TCP clients for a password: give the test user the one the test
  // connection string carries (a machine with trust auth ignores it).
  spawnSync(
    'su',
    ['postgres', '-c', `psql -qc "ALTER USER postgres PASSWORD 'postgres'"`],
    { stdio: 'ignore' },
  );
  return true;
}
