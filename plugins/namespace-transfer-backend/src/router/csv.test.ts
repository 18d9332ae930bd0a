import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS, type CsvRow } from '../service/views';
import { csvLines } from './csv';

const row = (values: Partial<CsvRow>): CsvRow =>
  Object.fromEntries(CSV_COLUMNS.map(c => [c, values[c] ?? ''])) as CsvRow;

describe('csvLines', () => {
  const tricky = [
    row({ id: 'a', error: 'a, b', requester: 'user:default/alice' }),
    row({ id: 'b', error: 'said "no"\nthen left', phase: 'sync' }),
    row({ id: 'c', error: 'line\r\nend', sourceClaim: 'data' }),
    row({ id: 'd', error: '', url: 'http://portal/x?y=1' }),
  ];

  it('writes what an RFC 4180 writer writes (csv-stringify as the reference)', () => {
    expect(csvLines(tricky, true)).toBe(
      stringify(tricky, { header: true, columns: [...CSV_COLUMNS] }),
    );
    expect(csvLines(tricky, false)).toBe(
      stringify(tricky, { header: false, columns: [...CSV_COLUMNS] }),
    );
  });

  it('defuses cells a spreadsheet would run as formulas, and quotes them where needed', () => {
    const lines = csvLines(
      [
        row({ id: '=1+1', error: '=HYPERLINK("x")', sourceClaim: '+a' }),
        row({ id: '-b', error: '@SUM(A1)', sourceClaim: '\tc' }),
      ],
      false,
    ).split('\n');
    expect(lines[0]).toMatch(/^'=1\+1,/);
    expect(lines[0]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[0]).toContain(",'+a,");
    expect(lines[1]).toMatch(/^'-b,/);
    expect(lines[1]).toContain(",'@SUM(A1)");
    expect(lines[1]).toContain(",'\tc,");
  });

  it('writes only the header for no rows, and nothing without it', () => {
    expect(csvLines([], true)).toBe(`${CSV_COLUMNS.join(',')}\n`);
    expect(csvLines([], false)).toBe('');
  });
});
