import { missedTimes, nextAfter, parseCron, validCronSchedule } from './cron';

const t = (s: string) => Date.parse(s);
const next = (expr: string, after: string, tz?: string) => {
  const n = nextAfter(parseCron(expr), t(after), tz);
  return n === undefined ? undefined : new Date(n).toISOString();
};

describe('cron', () => {
  it('parses fields, ranges, steps, lists and names', () => {
    const s = parseCron('*/15 9-17 * jan,JUL mon-fri');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect(s.hours.size).toBe(9);
    expect([...s.months]).toEqual([1, 7]);
    expect([...s.weekdays].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('0 0 * * 7').weekdays]).toEqual([0]);
    expect([...parseCron('5/20 * * * *').minutes]).toEqual([5, 25, 45]);
  });

  it('rejects malformed schedules', () => {
    expect(() => parseCron('* * * *')).toThrow(/5 fields/);
    expect(() => parseCron('60 * * * *')).toThrow(/range/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step/);
    expect(() => parseCron('a * * * *')).toThrow(/invalid/);
  });

  it('finds the next time', () => {
    expect(next('*/5 * * * *', '2024-01-01T00:02:30Z')).toBe(
      '2024-01-01T00:05:00.000Z',
    );
    expect(next('* * * * *', '2024-01-01T00:05:00Z')).toBe(
      '2024-01-01T00:06:00.000Z',
    );
    expect(next('@daily', '2024-01-01T10:00:00Z')).toBe(
      '2024-01-02T00:00:00.000Z',
    );
    expect(next('0 12 29 2 *', '2024-03-01T00:00:00Z')).toBe(
      '2028-02-29T12:00:00.000Z',
    );
    expect(next('30 2 * * *', '2024-06-01T00:00:00Z', 'Europe/Berlin')).toBe(
      '2024-06-01T00:30:00.000Z',
    );
  });

  it('ORs day-of-month and day-of-week when both are restricted', () => {
    // 2024-01-02 is a Tuesday; the 15th is the next day-of-month hit.
    expect(next('0 0 15 * tue', '2024-01-01T00:00:00Z')).toBe(
      '2024-01-02T00:00:00.000Z',
    );
    expect(next('0 0 15 * *', '2024-01-01T00:00:00Z')).toBe(
      '2024-01-15T00:00:00.000Z',
    );
  });

  it('lists missed times, keeping the newest', () => {
    const s = parseCron('* * * * *');
    const times = missedTimes(
      s,
      t('2024-01-01T00:00:00Z'),
      t('2024-01-01T00:03:30Z'),
    );
    expect(times.map(x => new Date(x).toISOString())).toEqual([
      '2024-01-01T00:01:00.000Z',
      '2024-01-01T00:02:00.000Z',
      '2024-01-01T00:03:00.000Z',
    ]);
    const many = missedTimes(
      s,
      t('2024-01-01T00:00:00Z'),
      t('2024-01-01T05:00:00Z'),
    );
    expect(many.length).toBe(101);
    expect(new Date(many[100]).toISOString()).toBe('2024-01-01T05:00:00.000Z');
  });
});

describe('validCronSchedule', () => {
  it('accepts standard cron schedules and macros', () => {
    expect(validCronSchedule('*/5 * * * *')).toBe(true);
    expect(validCronSchedule('0 3 * * mon-fri')).toBe(true);
    expect(validCronSchedule('@hourly')).toBe(true);
    expect(validCronSchedule('61 * * * *')).toBe(false);
    expect(validCronSchedule('* * *')).toBe(false);
  });

  it('leaves a TZ prefix and @every to the controller, rejects what robfig cannot parse', () => {
    expect(validCronSchedule('TZ=Europe/Paris 0 3 * * *')).toBe(true);
    expect(validCronSchedule('@every 5m')).toBe(true);
    expect(validCronSchedule('@HOURLY')).toBe(false);
    expect(validCronSchedule('*/0 * * * *')).toBe(false);
  });
});
