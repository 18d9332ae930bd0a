import type express from 'express';
import { CSV_COLUMNS, CsvRow } from '../service';

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with a quote: an
 * error message or a name must not become a formula in the auditor's spreadsheet.
 */
function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: a cell holding a comma, a quote or a line end is quoted, its quotes doubled. */
function cell(value: string): string {
  const safe = defuse(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The page's lines, written here rather than by csv-stringify: for 100,000 rows (39 MiB of CSV) the
 * library allocated 1.5 GiB of short-lived strings, which V8 partly promoted and which grew the backend's
 * RSS by up to 150 MiB; these lines allocate about what they output.
 */
export function csvLines(rows: readonly CsvRow[], header: boolean): string {
  const lines: string[] = header ? [CSV_COLUMNS.join(',')] : [];
  for (const row of rows) {
    lines.push(CSV_COLUMNS.map(column => cell(row[column])).join(','));
  }
  // joined once, flat: concatenating line by line built ropes that the socket then had to flatten
  if (lines.length > 0) lines.push('');
  return lines.join('\n');
}

/** Resolves when the response can take more, or is gone; its listeners leave with it. */
function drained(res: express.Response): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams pages of rows as CSV with backpressure: the next page is read from the store only when the
 * client has taken the ones before, so memory stays flat however many transfers there are. Each page
 * becomes one chunk of text at once: rows handed through a stream one by one lived long enough to be
 * promoted in V8's heap. The first page is read before the headers go out, so that a refusal is still an
 * ordinary error answer.
 */
export async function sendCsv(
  res: express.Response,
  pages: AsyncIterable<CsvRow[]>,
  filename: string,
): Promise<void> {
  const iterator = pages[Symbol.asyncIterator]();
  let page = await iterator.next();
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  let header = true;
  try {
    // an empty export is still a header line
    if (page.done) res.write(csvLines([], true));
    while (!page.done) {
      const fits = res.write(csvLines(page.value, header));
      header = false;
      if (!fits) await drained(res);
      if (res.destroyed) return;
      page = await iterator.next();
    }
    res.end();
  } finally {
    // a client gone mid-export stops the reading of further pages
    await iterator.return?.();
  }
}
