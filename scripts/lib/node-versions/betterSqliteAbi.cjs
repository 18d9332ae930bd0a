// Preloaded (node --require) into the Node 22/24 test runs of scripts/node-versions.mjs, and into every
// process they start (NODE_OPTIONS). The workspace's better-sqlite3 in node_modules is compiled for Node
// 20, which the rest of the suite and everyone else's runs use. Two ways to give a run its own:
// - NSTRANSFER_BETTER_SQLITE3_ADDON (Node 22): the same 12.x compiled for this ABI in a separate directory.
//   better-sqlite3 finds its addon through `bindings`, which stops at the Node 20 build and fails on the
//   ABI; so the addon's load (process.dlopen, under require() and Jest alike) is pointed at this build.
// - NSTRANSFER_BETTER_SQLITE3_PACKAGE (Node 24): a whole other package (13.x, see runtime.mjs), whose
//   `require('better-sqlite3')` is resolved to it here for plain processes (Jest is pointed at it by
//   jestConfig.cjs, as Jest resolves modules itself).
// Each load of the run's addon is recorded in NSTRANSFER_BETTER_SQLITE3_MARKER, so the run can prove it.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const addon = process.env.NSTRANSFER_BETTER_SQLITE3_ADDON;
const pkg = process.env.NSTRANSFER_BETTER_SQLITE3_PACKAGE;
const marker = process.env.NSTRANSFER_BETTER_SQLITE3_MARKER;
const workspaceAddon =
  /[\\/]node_modules[\\/]better-sqlite3[\\/]build[\\/]Release[\\/]better_sqlite3\.node$/;

function record(loaded) {
  if (!marker) return;
  try {
    fs.appendFileSync(marker, `${process.version} ${process.pid} ${loaded}\n`);
  } catch {
    // the marker only proves the load; a failed write must not fail the test that loaded it
  }
}

if (addon || pkg) {
  const dlopen = process.dlopen;
  process.dlopen = function redirectedDlopen(module, filename, ...rest) {
    if (addon && workspaceAddon.test(filename)) {
      record(addon);
      return dlopen.call(this, module, addon, ...rest);
    }
    if (pkg && filename.startsWith(pkg + path.sep)) record(filename);
    return dlopen.call(this, module, filename, ...rest);
  };
}

if (pkg) {
  const resolve = Module._resolveFilename;
  const entry = require.resolve(pkg);
  Module._resolveFilename = function resolveBetterSqlite(request, ...rest) {
    if (request === 'better-sqlite3') return entry;
    return resolve.call(this, request, ...rest);
  };
}
