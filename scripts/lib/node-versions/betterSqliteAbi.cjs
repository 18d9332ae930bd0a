// Preloaded (node --require) into the Node 22/24 test runs of scripts/node-versions.mjs, and into every
// process they start (NODE_OPTIONS). The workspace's better-sqlite3 in node_modules is compiled for Node
// 20, which the rest of the suite and everyone else's runs use; this run's own build for its ABI lives in
// a separate directory. better-sqlite3 finds its addon through `bindings`, which stops at the Node 20
// build and fails on the ABI; so the addon's load (process.dlopen, under require() and Jest alike) is
// pointed at this ABI's build instead, and the first redirect is recorded so the run can prove it happened.
'use strict';
const fs = require('node:fs');

const addon = process.env.NSTRANSFER_BETTER_SQLITE3_ADDON;
const marker = process.env.NSTRANSFER_BETTER_SQLITE3_MARKER;
const workspaceAddon =
  /[\\/]node_modules[\\/]better-sqlite3[\\/]build[\\/]Release[\\/]better_sqlite3\.node$/;

if (addon) {
  const dlopen = process.dlopen;
  process.dlopen = function redirectedDlopen(module, filename, ...rest) {
    if (workspaceAddon.test(filename)) {
      if (marker) {
        try {
          fs.appendFileSync(
            marker,
            `${process.version} ${process.pid} ${addon}\n`,
          );
        } catch {
          // the marker only proves the redirect; a failed write must not fail the test that loaded it
        }
      }
      return dlopen.call(this, module, addon, ...rest);
    }
    return dlopen.call(this, module, filename, ...rest);
  };
}
