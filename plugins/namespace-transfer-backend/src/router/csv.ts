import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type express from 'express';
import { stringify } from 'csv-stringify';
import { CSV_COLUMNS, CsvRow } from '../service';

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with a quote: an
 * error message or a name must not become a formula in the auditor's spreadsheet.
 */
function defuse(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Streams rows as CSV with backpressure: a row is read from the store only when the client has taken the
 * ones before, so memory stays flat however many transfers there are. The first row is read before the
 * headers go out, so that a refusal is still an ordinary error answer.
 */
export async function sendCsv(
  res: express.Response,
  rows: AsyncIterable<CsvRow>,
  filename: string,
): Promise<void> {
  const iterator = rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* all() {
    if (first.done) return;
    yield first.value;
    for (let r = await iterator.next(); !r.done; r = await iterator.next())
      yield r.value;
  }
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  await pipeline(
    Readable.from(all()),
    stringify({
      header: true,
      columns: [...CSV_COLUMNS],
      cast: { string: defuse },
    }),
    res,
  );
}
