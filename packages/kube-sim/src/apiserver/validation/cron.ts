/** Standard 5-field cron syntax plus the @-macros that robfig/cron (used by the CronJob controller) accepts. */

const MACROS = [
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
];
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const NAMES = [
  [],
  [],
  [],
  [
    'jan',
    'feb',
    'mar',
    'apr',
    'may',
    'jun',
    'jul',
    'aug',
    'sep',
    'oct',
    'nov',
    'dec',
  ],
  ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
];

function validField(f: string, i: number): boolean {
  const [lo, hi] = RANGES[i];
  const num = (s: string) => {
    const idx = NAMES[i].indexOf(s.toLowerCase());
    if (idx >= 0) return idx + (i === 3 ? 1 : 0);
    return /^\d+$/.test(s) ? Number(s) : NaN;
  };
  return f.split(',').every(part => {
    const [range, step] = part.split('/');
    if (step !== undefined && !/^\d+$/.test(step)) return false;
    if (range === '*' || range === '?') return true;
    const [a, b] = range.split('-');
    const na = num(a);
    const nb = b === undefined ? na : num(b);
    return na >= lo && nb <= hi && na <= nb;
  });
}

export function validCronSchedule(s: string): boolean {
  let spec = s.trim();
  if (/^(CRON_)?TZ=\S+\s+/.test(spec))
    spec = spec.replace(/^(CRON_)?TZ=\S+\s+/, '');
  if (MACROS.includes(spec)) return true;
  if (/^@every\s+\S+$/.test(spec)) return true;
  const fields = spec.split(/\s+/);
  return fields.length === 5 && fields.every(validField);
}
