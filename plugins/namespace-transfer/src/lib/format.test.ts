import { formatBytes, formatDuration, formatRate, percentOf } from './format';

describe('format', () => {
  it('writes sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(200 * 1024 ** 2)).toBe('200 MiB');
    expect(formatBytes(undefined)).toBe('–');
    expect(formatRate(3 * 1024 ** 2)).toBe('3.0 MiB/s');
  });

  it('writes durations in the two largest units', () => {
    expect(formatDuration(800)).toBe('800 ms');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(3_600_000)).toBe('1 h');
  });

  it('gives a percent only for a known total', () => {
    expect(percentOf(50, 200)).toBe(25);
    expect(percentOf(300, 200)).toBe(100);
    expect(percentOf(5, undefined)).toBeUndefined();
    expect(percentOf(5, 0)).toBeUndefined();
  });
});
