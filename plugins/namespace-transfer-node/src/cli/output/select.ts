import type { Sink } from '../records';
import { jsonSink } from './json';
import { plainSink } from './plain';
import { ttySink } from './tty';

export type OutputFormat = 'text' | 'json';

/** JSON for scripts; bars when a human watches a terminal; plain lines into logs and pipes. */
export function outputSink(format: OutputFormat): Sink {
  if (format === 'json') return jsonSink();
  if (process.stderr.isTTY && process.stdout.isTTY)
    return ttySink(process.stderr);
  return plainSink(process.stdout);
}
