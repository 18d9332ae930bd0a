import type { CliRecord, Sink } from '../records';

/** `--output json`: one object per line on stdout; checkpoints stay in the state file (they are internal). */
export function jsonSink(out: NodeJS.WritableStream = process.stdout): Sink {
  return {
    write: (r: CliRecord) => {
      if (r.type === 'checkpoint') return;
      out.write(`${JSON.stringify(r)}\n`);
    },
    close: () => undefined,
  };
}
