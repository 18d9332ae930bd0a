import { cutoverWindows } from './windows';

describe('cutoverWindows', () => {
  const windows = cutoverWindows([
    { days: ['sat', 'sun'], start: 22 * 60, end: 5, timeZone: 'Europe/Berlin' },
    { days: ['wed'], start: 9 * 60 + 30, end: 11 * 60, timeZone: 'UTC' },
  ]);

  it('lists the windows with their times as HH:MM, for the portal', () => {
    expect(windows.list()).toEqual([
      {
        days: ['sat', 'sun'],
        start: '22:00',
        end: '00:05',
        timeZone: 'Europe/Berlin',
      },
      { days: ['wed'], start: '09:30', end: '11:00', timeZone: 'UTC' },
    ]);
  });

  it('says when there are none: any time', () => {
    expect(cutoverWindows([]).list()).toEqual([]);
    expect(cutoverWindows([]).describe()).toBe('any time');
    expect(cutoverWindows([]).allows(new Date())).toBe(true);
  });
});
