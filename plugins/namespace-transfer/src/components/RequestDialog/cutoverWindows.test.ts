import { describeCutoverWindows, inCutoverWindows } from './cutoverWindows';

const berlinWeekend = {
  days: ['sat', 'sun'],
  start: '02:00',
  end: '06:00',
  timeZone: 'Europe/Berlin',
};

describe('inCutoverWindows', () => {
  it("reads a window on its own zone's wall clock", () => {
    // Saturday 2026-12-12: 02:30 in Berlin (UTC+1) is 01:30 UTC
    expect(
      inCutoverWindows(new Date('2026-12-12T01:30:00Z'), [berlinWeekend]),
    ).toBe(true);
    // 00:30 UTC is 01:30 in Berlin: before the window opens
    expect(
      inCutoverWindows(new Date('2026-12-12T00:30:00Z'), [berlinWeekend]),
    ).toBe(false);
    // the end is not inside
    expect(
      inCutoverWindows(new Date('2026-12-13T05:00:00Z'), [berlinWeekend]),
    ).toBe(false);
    // a Wednesday
    expect(
      inCutoverWindows(new Date('2026-12-09T01:30:00Z'), [berlinWeekend]),
    ).toBe(false);
  });

  it('gives the early hours of a window past midnight to the day it opened on', () => {
    const friday = {
      days: ['fri'],
      start: '23:00',
      end: '01:00',
      timeZone: 'UTC',
    };
    expect(inCutoverWindows(new Date('2026-12-11T23:30:00Z'), [friday])).toBe(
      true,
    );
    expect(inCutoverWindows(new Date('2026-12-12T00:30:00Z'), [friday])).toBe(
      true,
    );
    // Friday's early hours belong to Thursday's window, which there is not
    expect(inCutoverWindows(new Date('2026-12-11T00:30:00Z'), [friday])).toBe(
      false,
    );
  });

  it('allows any time when no window is configured', () => {
    expect(inCutoverWindows(new Date('2026-12-09T12:00:00Z'), [])).toBe(true);
    expect(describeCutoverWindows([])).toBe('any time');
    expect(describeCutoverWindows([berlinWeekend])).toBe(
      'sat, sun 02:00–06:00 (Europe/Berlin)',
    );
  });
});
