// The repo's Jest configuration (Backstage CLI's, as `backstage-cli repo test` would use it), with
// `better-sqlite3` mapped to NSTRANSFER_BETTER_SQLITE3_PACKAGE in every project when that is set: Jest
// resolves modules itself, so the preload's redirect of require() does not reach the tests' knex.
'use strict';
const { join } = require('node:path');

const repoRoot = join(__dirname, '../../..');
const base = require(
  require.resolve('@backstage/cli-module-test-jest/config/jest', {
    paths: [join(repoRoot, 'node_modules/@backstage/cli')],
  }),
);
const pkg = process.env.NSTRANSFER_BETTER_SQLITE3_PACKAGE;

function mapped(project) {
  return {
    ...project,
    moduleNameMapper: { ...project.moduleNameMapper, '^better-sqlite3$': pkg },
  };
}

module.exports = Promise.resolve(base).then(config =>
  pkg ? { ...config, projects: config.projects.map(mapped) } : config,
);
