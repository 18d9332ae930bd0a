// The adopter's package-lock.json, derived from the root one. Pinning only the adopter's direct
// dependencies would leave npm to resolve every transitive one again: it would pick the newest versions of
// the packuments in the cache, tarballs `npm ci` never fetched, so the install would need the registry and
// would test a tree our own tests never ran. Taking the root lock's tree (the part reachable from the
// adopter's dependencies, with each package's resolved URL and integrity) makes the install the one our
// tests run against, served from the npm cache that `npm ci` filled.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const REGISTRY = 'https://registry.npmjs.org/';

/** The version the root lock installs at the top level, which the adopter's package.json pins. */
export function rootLockVersion(rootLock, name) {
  const entry = rootLock.packages[`node_modules/${name}`];
  if (!entry?.version || entry.link) {
    throw new Error(
      `${name} is not installed from the registry in the root package-lock.json`,
    );
  }
  return entry.version;
}

/** package.json inside a packed tarball. */
export function tarballManifest(tarball) {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
}

function tarballUrl(name, version) {
  const base = name.startsWith('@') ? name.split('/')[1] : name;
  return `${REGISTRY}${name}/-/${base}-${version}.tgz`;
}

// Where Node (and npm's tree) finds dependency `dep` of the package installed at `location`: its own
// node_modules, then each enclosing one up to the top.
function resolveFrom(packages, location, dep) {
  let dir = location;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

// A lock entry as the adopter's tree carries it: the registry's resolved URL (the root lock omits it, and
// without it npm would need a packument to find the tarball), and no dev/peer flags, which described the
// root project and are recomputed for this one.
function adopterEntry(name, entry) {
  const { dev, devOptional, peer, ...rest } = entry;
  return {
    ...rest,
    resolved: entry.resolved ?? tarballUrl(name, entry.version),
  };
}

const nameOf = location =>
  location.slice(
    location.lastIndexOf('node_modules/') + 'node_modules/'.length,
  );

/**
 * @param rootLock the root package-lock.json
 * @param manifest the adopter's package.json (dependencies and devDependencies)
 * @param tarballs the packed plugins: [{ name, file (as package.json refers to it), path, workspaceDir }]
 */
export function adopterLock(rootLock, manifest, tarballs) {
  // the registry part of the root tree, plus the packed plugins at the place npm installs them, their own
  // nested dependencies (plugins/<dir>/node_modules/… in the root lock) moved under them
  const packages = {};
  for (const [location, entry] of Object.entries(rootLock.packages)) {
    if (location.startsWith('node_modules/') && !entry.link)
      packages[location] = entry;
  }
  const packed = new Map();
  for (const t of tarballs) {
    const pkg = tarballManifest(t.path);
    const location = `node_modules/${t.name}`;
    packed.set(location, {
      version: pkg.version,
      resolved: t.file,
      integrity: `sha512-${createHash('sha512').update(readFileSync(t.path)).digest('base64')}`,
      license: pkg.license,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    });
    packages[location] = packed.get(location);
    for (const [nested, entry] of Object.entries(rootLock.packages)) {
      if (nested.startsWith(`${t.workspaceDir}/node_modules/`))
        packages[`${location}${nested.slice(t.workspaceDir.length)}`] = entry;
    }
  }
  const lock = {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': {
        name: manifest.name,
        version: manifest.version,
        dependencies: manifest.dependencies,
        devDependencies: manifest.devDependencies,
      },
    },
  };
  const queue = [
    ['', { ...manifest.dependencies, ...manifest.devDependencies }, {}],
  ];
  while (queue.length) {
    const [from, required, optional] = queue.shift();
    for (const [dep, isOptional] of [
      ...Object.keys(required).map(d => [d, false]),
      ...Object.keys(optional).map(d => [d, true]),
    ]) {
      const location = resolveFrom(packages, from, dep);
      if (!location) {
        if (isOptional) continue;
        throw new Error(
          `the root package-lock.json has no ${dep} for ${from || 'the adopter'}; run npm install at the root`,
        );
      }
      if (lock.packages[location]) continue;
      const entry = packages[location];
      lock.packages[location] = packed.has(location)
        ? entry
        : adopterEntry(nameOf(location), entry);
      // peers: installed where the root tree has them (legacy-peer-deps, as in the root .npmrc, so npm
      // does not add the ones it lacks)
      queue.push([
        location,
        entry.dependencies ?? {},
        { ...entry.optionalDependencies, ...entry.peerDependencies },
      ]);
    }
  }
  return lock;
}
