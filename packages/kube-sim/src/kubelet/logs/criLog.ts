import { promises as fs, createWriteStream, WriteStream } from 'node:fs';

/** RFC 3339 with nanoseconds, as the CRI log format and `kubectl logs --timestamps` print it. */
export function rfc3339Nano(d: Date = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

const MAX_LINE = 16 * 1024;

/**
 * Writes a container's stdout and stderr to one file in the CRI log format
 * (`<time> <stream> <F|P> <content>`), the format a real node's /var/log/pods holds and the kubelet serves.
 */
export class CriLogWriter {
  private readonly out: WriteStream;
  private readonly partial: Record<'stdout' | 'stderr', Buffer> = {
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
  };

  constructor(readonly file: string) {
    this.out = createWriteStream(file, { flags: 'a', mode: 0o640 });
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    let buf = Buffer.concat([this.partial[stream], chunk]);
    for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a)) {
      let content = buf.subarray(0, nl);
      while (content.length > MAX_LINE) {
        this.line(stream, 'P', content.subarray(0, MAX_LINE));
        content = content.subarray(MAX_LINE);
      }
      this.line(stream, 'F', content);
      buf = buf.subarray(nl + 1);
    }
    while (buf.length >= MAX_LINE) {
      this.line(stream, 'P', buf.subarray(0, MAX_LINE));
      buf = buf.subarray(MAX_LINE);
    }
    this.partial[stream] = Buffer.from(buf);
  }

  private line(stream: string, tag: 'F' | 'P', content: Buffer): void {
    this.out.write(
      Buffer.concat([
        Buffer.from(`${rfc3339Nano()} ${stream} ${tag} `),
        content,
        Buffer.from('\n'),
      ]),
    );
  }

  /** Flushes what is left (a last line without newline) and closes the file. */
  async close(): Promise<void> {
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.partial[s].length) this.line(s, 'F', this.partial[s]);
      this.partial[s] = Buffer.alloc(0);
    }
    await new Promise<void>(resolve => this.out.end(resolve));
  }
}

export interface LogEntry {
  time: string;
  stream: string;
  /** the content with its newline restored for full lines */
  content: Buffer;
}

/** Parses complete lines of a CRI log; returns the entries and how many bytes were consumed. */
export function parseCriLog(data: Buffer): {
  entries: LogEntry[];
  consumed: number;
} {
  const entries: LogEntry[] = [];
  let pos = 0;
  for (;;) {
    const nl = data.indexOf(0x0a, pos);
    if (nl < 0) break;
    const line = data.subarray(pos, nl);
    pos = nl + 1;
    const s1 = line.indexOf(0x20);
    const s2 = line.indexOf(0x20, s1 + 1);
    const s3 = line.indexOf(0x20, s2 + 1);
    if (s1 < 0 || s2 < 0 || s3 < 0) continue;
    const tag = line.subarray(s2 + 1, s3).toString();
    const content = line.subarray(s3 + 1);
    entries.push({
      time: line.subarray(0, s1).toString(),
      stream: line.subarray(s1 + 1, s2).toString(),
      content:
        tag === 'P'
          ? Buffer.from(content)
          : Buffer.concat([content, Buffer.from('\n')]),
    });
  }
  return { entries, consumed: pos };
}

export interface LogQuery {
  tailLines?: number;
  timestamps?: boolean;
  limitBytes?: number;
  /** RFC 3339 time; entries before it are skipped */
  sinceTime?: string;
}

/** Renders entries as the kubelet returns them for a log request. */
export function renderEntries(entries: LogEntry[], q: LogQuery): Buffer {
  let list = entries;
  if (q.sinceTime) {
    const since = Date.parse(q.sinceTime);
    list = list.filter(e => Date.parse(e.time) >= since);
  }
  if (q.tailLines !== undefined) {
    // tailLines counts full lines: walk back over the entries that end with a newline.
    let lines = 0;
    let i = list.length;
    while (i > 0) {
      const e = list[i - 1];
      if (e.content[e.content.length - 1] === 0x0a) {
        if (lines === q.tailLines) break;
        lines++;
      }
      i--;
    }
    list = list.slice(i);
  }
  const parts = list.map(e =>
    q.timestamps
      ? Buffer.concat([Buffer.from(`${e.time} `), e.content])
      : e.content,
  );
  const all = Buffer.concat(parts);
  return q.limitBytes !== undefined ? all.subarray(0, q.limitBytes) : all;
}

export async function readCriLog(file: string): Promise<LogEntry[]> {
  return parseCriLog(await fs.readFile(file)).entries;
}
