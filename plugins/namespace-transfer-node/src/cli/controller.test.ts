import type { Command } from 'commander';
import { leaderElectionOf } from './actions/controller';
import { controllerCommand } from './commands/controller';
import { UsageError } from './exitCodes';

/** The controller command's parsed flags, without running it. */
async function parse(...args: string[]) {
  const cmd: Command = controllerCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .action(() => undefined);
  await cmd.parseAsync(args, { from: 'user' });
  return cmd.opts();
}

describe('nstransfer controller flags', () => {
  it('defaults: no election, 4 at once, 5 attempts', async () => {
    const f = await parse();
    expect(f).toMatchObject({ concurrency: 4, maxAttempts: 5 });
    expect(f.leaseNamespace).toBeUndefined();
    expect(leaderElectionOf(f)).toBeUndefined();
  });

  it('takes the Lease, identity, concurrency and attempts', async () => {
    const f = await parse(
      '--lease-namespace',
      'namespace-transfer-system',
      '--lease-name',
      'kep-east',
      '--identity',
      'pod-1',
      '--concurrency',
      '2',
      '--max-attempts',
      '8',
    );
    expect(f).toMatchObject({ concurrency: 2, maxAttempts: 8 });
    expect(leaderElectionOf(f)).toEqual({
      namespace: 'namespace-transfer-system',
      name: 'kep-east',
      identity: 'pod-1',
    });
  });

  it.each([
    ['--concurrency', '0'],
    ['--max-attempts', '1.5'],
    ['--concurrency', 'many'],
  ])('refuses %s %s', async (flag, value) => {
    await expect(parse(flag, value)).rejects.toThrow(/must be an integer >= 1/);
  });

  it('refuses a Lease name or identity without --lease-namespace', () => {
    expect(() => leaderElectionOf({ leaseName: 'x' })).toThrow(UsageError);
    expect(() => leaderElectionOf({ identity: 'pod-1' })).toThrow(
      /need --lease-namespace/,
    );
  });

  it('says in its help how replicas share the work', () => {
    const help = controllerCommand().helpInformation();
    for (const flag of [
      '--lease-namespace',
      '--lease-name',
      '--identity',
      '--concurrency',
      '--max-attempts',
    ])
      expect(help).toContain(flag);
  });
});
