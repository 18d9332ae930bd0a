/**
 * `nstransfer --help` must not pay for the Kubernetes client and the engine (issue 14): building the command
 * tree and printing help loads neither; running an action does. A fresh node process (the sources through
 * tsx), since jest's own module registry would not show what node loads.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const HEAVY = /node_modules\/@kubernetes\/client-node\//;

function loadedAfter(code: string): string[] {
  const script = `
    const { buildProgram } = require(${JSON.stringify(join(__dirname, 'program.ts'))});
    ${code}
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const r = spawnSync(
    process.execPath,
    ['--require', 'tsx/cjs', '-e', script],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('nstransfer start-up', () => {
  it('builds the command tree and its help without the Kubernetes client', () => {
    const loaded = loadedAfter(`
      const program = buildProgram();
      for (const c of [program, ...program.commands]) c.helpInformation();`);
    expect(
      loaded.some(m => m.endsWith(join('cli', 'commands', 'plan.ts'))),
    ).toBe(true);
    expect(loaded.filter(m => HEAVY.test(m))).toEqual([]);
  });

  it('loads it once an action module is loaded (the check above can see it)', () => {
    const loaded = loadedAfter(
      `buildProgram(); require(${JSON.stringify(join(__dirname, 'actions', 'plan.ts'))});`,
    );
    expect(loaded.some(m => HEAVY.test(m))).toBe(true);
  });
});
