/** Shared output format of the benchmarks: a table for people, then one JSON line per figure for scripts. */
export interface Figure {
  figure: string;
  value: number;
  /** e.g. ">=0.8" or "<=1.5" */
  target?: string;
  unit?: string;
  note?: string;
}

function meets(value: number, target?: string): boolean | null {
  if (!target) return null;
  const m = /^(>=|<=|>|<)\s*([\d.]+)$/.exec(target.trim());
  if (!m) return null;
  const t = Number(m[2]);
  switch (m[1]) {
    case '>=':
      return value >= t;
    case '<=':
      return value <= t;
    case '>':
      return value > t;
    default:
      return value < t;
  }
}

export function report(bench: string, figures: Figure[]): void {
  const rows = figures.map(f => [
    f.figure,
    f.value.toFixed(3),
    f.unit ?? '',
    f.target ?? '',
    f.note ?? '',
  ]);
  const header = ['figure', 'value', 'unit', 'target', 'note'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(
    `\n${bench}\n${line(header)}\n${widths.map(w => '-'.repeat(w)).join('  ')}\n`,
  );
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  process.stdout.write('\n');
  for (const f of figures) {
    const met = meets(f.value, f.target);
    process.stdout.write(
      `${JSON.stringify({ bench, figure: f.figure, value: Number(f.value.toFixed(4)), ...(f.target ? { target: f.target, met } : {}) })}\n`,
    );
  }
}

/** Runs fn repeatedly for about `ms` and returns operations per second. */
export async function rate(
  fn: () => Promise<unknown>,
  ms: number,
  concurrency = 1,
): Promise<number> {
  let ops = 0;
  const end = Date.now() + ms;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await fn();
        ops++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return ops / seconds;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
