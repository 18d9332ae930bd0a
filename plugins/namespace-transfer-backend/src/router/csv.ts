import { once } from 'node:events';
import type express from 'express';
import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS, CsvRow } from '../service';

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with a quote: an
 * error message or a name must not become a formula in the auditor's spreadsheet.
 */
function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvOf(rows: CsvRow[], header: boolean): string {
  return stringify(rows, {
    header,
    columns: [...CSV_COLUMNS],
    cast: { string: defuse },
  });
}

/**
 * Streams pages of rows as CSV with backpressure: the next page is read from the store only when the
 * client has taken the ones before, so memory stays flat however many transfers there are. Each page
 * becomes one chunk of text at once: rows handed through a stream one by one lived long enough to be
 * promoted in V8's heap, which then grew by 130 MiB or more over a 100,000-row export before a full
 * collection. The first page is read before the headers go out, so that a refusal is still an ordinary
 * error answer.
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
    if (page.done) {
      res.write(csvOf([], true));
    }
    while (!page.done) {
      const fits = res.write(csvOf(page.value, header));
      header = false;
      if (!fits) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      if (res.destroyed) return;
      page = await iterator.next();
    }
    res.end();
  } finally {
    // a client gone mid-export stops the reading of further pages
    await iterator.return?.();
  }
}
