import { Command } from 'commander';
import {
  addTransferFlags,
  moverResourceOptions,
  type EngineFlags,
} from './flags';

/** Parses the transfer flags as nstransfer does, failing instead of exiting. */
function parse(args: string[]): EngineFlags {
  const cmd = addTransferFlags(
    new Command().exitOverride().configureOutput({ writeErr: () => {} }),
  );
  cmd.parse(args, { from: 'user' });
  return cmd.opts<EngineFlags>();
}

describe('--mover-* flags', () => {
  it('give the mover containers requests and limits; only what was given', () => {
    expect(moverResourceOptions(parse([]))).toEqual({});
    expect(
      moverResourceOptions(
        parse([
          '--mover-cpu-request',
          '250m',
          '--mover-memory-limit',
          '1Gi',
          '--mover-cpu-limit',
          '2',
        ]),
      ),
    ).toEqual({
      requests: { cpu: '250m' },
      limits: { cpu: '2', memory: '1Gi' },
    });
  });

  it('refuse what is not a positive quantity before anything runs', () => {
    expect(() => parse(['--mover-cpu-limit', 'fast'])).toThrow(
      "option '--mover-cpu-limit <quantity>' argument 'fast' is invalid. must be a positive Kubernetes quantity, e.g. 250m, 1, 256Mi",
    );
    expect(() => parse(['--mover-memory-request', '0'])).toThrow(
      'must be a positive Kubernetes quantity',
    );
  });

  it('say in --help what a CPU limit does to the copy', () => {
    const help = addTransferFlags(new Command())
      .helpInformation()
      .replace(/\s+/g, ' ');
    expect(help).toContain(
      '--mover-cpu-request <quantity> CPU each mover container requests (default 100m)',
    );
    expect(help).toContain(
      "a low one throttles stunnel's TLS and so the copy rate",
    );
  });
});
