// The adopter's Backstage project, written outside the workspace: the template (a backend that adds the
// plugin with backend.add(import(...)), an app on the new frontend system and a legacy entity page), a
// package.json pinned to the root lock's versions, the lock derived from it, and the four tarballs.
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from '../prereqs.mjs';
import { adopterLock, rootLockVersion } from './lock.mjs';

export const TEMPLATE_DIR = join(repoRoot, 'scripts/adopter-template');

/** The packed plugins: package name, the workspace folder it was packed from, its tarball. */
export const PLUGINS = [
  [
    '@namespace-transfer/plugin-namespace-transfer-common',
    'plugins/namespace-transfer-common',
  ],
  [
    '@namespace-transfer/plugin-namespace-transfer-node',
    'plugins/namespace-transfer-node',
  ],
  [
    '@namespace-transfer/plugin-namespace-transfer-backend',
    'plugins/namespace-transfer-backend',
  ],
  [
    '@namespace-transfer/plugin-namespace-transfer',
    'plugins/namespace-transfer',
  ],
].map(([name, workspaceDir]) => ({
  name,
  workspaceDir,
  tarball: `${name.slice(1).replace('/', '-')}-${
    JSON.parse(
      readFileSync(join(repoRoot, workspaceDir, 'package.json'), 'utf8'),
    ).version
  }.tgz`,
}));

// What a Backstage backend and app need around the plugins, as an adopter's repo has it.
const DEPENDENCIES = [
  '@backstage/backend-defaults',
  '@backstage/backend-plugin-api',
  '@backstage/plugin-catalog-backend',
  '@backstage/plugin-permission-backend',
  '@backstage/plugin-permission-common',
  '@backstage/plugin-permission-node',
  '@backstage/frontend-defaults',
  '@backstage/plugin-catalog',
  'better-sqlite3',
  'react',
  'react-dom',
  'react-router-dom',
];
const DEV_DEPENDENCIES = [
  'typescript',
  '@types/node',
  '@types/react',
  '@types/react-dom',
];

/** Writes the project into `dir` (empty); returns its package.json. */
export function writeAdopterProject(dir, packsDir) {
  const rootLock = JSON.parse(
    readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'),
  );
  const pin = names =>
    Object.fromEntries(names.map(n => [n, rootLockVersion(rootLock, n)]));
  cpSync(TEMPLATE_DIR, dir, { recursive: true });
  mkdirSync(join(dir, 'tarballs'));
  const tarballs = PLUGINS.map(p => {
    const path = join(dir, 'tarballs', p.tarball);
    copyFileSync(join(packsDir, p.tarball), path);
    return { ...p, path, file: `file:tarballs/${basename(path)}` };
  });
  const manifest = {
    name: 'adopter-portal',
    version: '1.0.0',
    private: true,
    dependencies: {
      ...pin(DEPENDENCIES),
      ...Object.fromEntries(tarballs.map(t => [t.name, t.file])),
    },
    devDependencies: pin(DEV_DEPENDENCIES),
  };
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  const lock = adopterLock(rootLock, manifest, tarballs);
  writeFileSync(
    join(dir, 'package-lock.json'),
    `${JSON.stringify(lock, null, 2)}\n`,
  );
  return { manifest, lockedPackages: Object.keys(lock.packages).length - 1 };
}

/** The backend's config: SQLite files in the project, a static token for the checks, the entity. */
export function writeAdopterConfig(dir, { port, token }) {
  const yaml = `app:
  baseUrl: http://localhost:3000
backend:
  baseUrl: http://127.0.0.1:${port}
  listen:
    host: 127.0.0.1
    port: ${port}
  database:
    client: better-sqlite3
    connection:
      directory: ${join(dir, 'db')}
  auth:
    externalAccess:
      - type: static
        options:
          token: \${ADOPTER_CHECK_TOKEN}
          subject: adopter-install-check
catalog:
  rules:
    - allow: [Component]
  locations:
    - type: file
      target: ${join(dir, 'catalog-info.yaml')}
permission:
  enabled: true
namespaceTransfer:
  admins: [group:default/platform-team]
`;
  mkdirSync(join(dir, 'db'), { recursive: true });
  writeFileSync(join(dir, 'app-config.yaml'), yaml);
  return { env: { ADOPTER_CHECK_TOKEN: token } };
}
