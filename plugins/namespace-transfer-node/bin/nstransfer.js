#!/usr/bin/env node
/*
 * Launcher of the nstransfer CLI in the published package: it loads the JavaScript that
 * `backstage-cli package build` made of src/cli/main.ts (the package's `./cli` entry point), so no
 * TypeScript tooling is needed at run time. The monorepo runs bin/nstransfer, from the sources.
 */
'use strict';
const path = require('node:path');

require(path.join(__dirname, '..', 'dist', 'cli.cjs.js')).runCli();
