import { ConfigReader, type JsonObject } from '@backstage/config';
import { readWorkerConfig } from './config';
import { cutoverAllowed, nextCutoverTime } from './maintenanceWindows';

const config = (namespaceTransfer: JsonObject) =>
  new ConfigReader({ namespaceTransfer });

describe('readWorkerConfig', () => {
  it('has defaults for everything', () => {
    expect(readWorkerConfig(new ConfigReader({}))).toEqual({
      enabled: true,
      concurrency: { global: 4, perCluster: 2 },
      leaseMs: 60_000,
      pollMs: 5000,
      progressSampleMs: 5000,
      outageBudgetMs: 300_000,
      maintenanceWindows: [],
      engine: {},
    });
  });

  it('reads the operator’s values, the engine’s among them', () => {
    const c = readWorkerConfig(
      config({
        worker: {
          enabled: false,
          concurrency: { global: 8, perCluster: 3 },
          leaseDuration: '2m',
          pollInterval: '500ms',
          progressSampleInterval: '10s',
          outageBudget: '90s',
        },
        maintenanceWindows: [
          {
            days: ['sat', 'sun'],
            start: '22:00',
            end: '04:30',
            timeZone: 'Europe/Berlin',
          },
        ],
        mover: {
          image: 'registry.example.com/mover:1',
          resources: { requests: { cpu: '250m' } },
        },
        endpoint: { ingressDomain: 'apps.example.com', loadBalancer: true },
      }),
    );
    expect(c).toMatchObject({
      enabled: false,
      concurrency: { global: 8, perCluster: 3 },
      leaseMs: 120_000,
      pollMs: 500,
      progressSampleMs: 10_000,
      outageBudgetMs: 90_000,
      maintenanceWindows: [
        {
          days: ['sat', 'sun'],
          start: 22 * 60,
          end: 4 * 60 + 30,
          timeZone: 'Europe/Berlin',
        },
      ],
      engine: {
        image: 'registry.example.com/mover:1',
        moverResources: { requests: { cpu: '250m' } },
        ingressDomain: 'apps.example.com',
        loadBalancer: true,
      },
    });
  });

  it.each([
    [
      { worker: { leaseDuration: 'soon' } },
      'namespaceTransfer.worker.leaseDuration: "soon" is not a duration',
    ],
    [
      { worker: { leaseDuration: '1s' } },
      'namespaceTransfer.worker.leaseDuration must be at least 3000 ms, got "1s"',
    ],
    [
      { worker: { concurrency: { global: 0 } } },
      'namespaceTransfer.worker.concurrency.global must be a whole number of at least 1, got 0',
    ],
    [
      { worker: { concurrency: { perCluster: 1.5 } } },
      'namespaceTransfer.worker.concurrency.perCluster must be a whole number',
    ],
    [
      { worker: { pollInterval: '10ms' } },
      'namespaceTransfer.worker.pollInterval must be at least 100 ms',
    ],
    [
      { maintenanceWindows: [{ start: '25:00', end: '03:00' }] },
      'namespaceTransfer.maintenanceWindows[0].start must be HH:MM (24-hour), got "25:00"',
    ],
    [
      {
        maintenanceWindows: [
          { start: '01:00', end: '03:00', days: ['fri', 'caturday'] },
        ],
      },
      'namespaceTransfer.maintenanceWindows[0].days must name days as sun, mon, tue, wed, thu, fri, sat, got "caturday"',
    ],
    [
      {
        maintenanceWindows: [
          { start: '01:00', end: '03:00', timeZone: 'Mars/Olympus' },
        ],
      },
      'namespaceTransfer.maintenanceWindows[0] must be an IANA time zone (e.g. Europe/Berlin), got "Mars/Olympus"',
    ],
    [
      { maintenanceWindows: [{ start: '01:00', end: '01:00' }] },
      'namespaceTransfer.maintenanceWindows[0]: start and end are equal',
    ],
    [
      { mover: { resources: { limits: { cpu: 'lots' } } } },
      'namespaceTransfer.mover.resources.limits.cpu',
    ],
  ])('refuses %j naming the key', (c, message) => {
    expect(() => readWorkerConfig(config(c as JsonObject))).toThrow(message);
  });
});

describe('maintenance windows', () => {
  // Saturday and Sunday 22:00 to 04:30 the next morning, Berlin time (UTC+1 in December)
  const windows = readWorkerConfig(
    config({
      maintenanceWindows: [
        {
          days: ['sat', 'sun'],
          start: '22:00',
          end: '04:30',
          timeZone: 'Europe/Berlin',
        },
      ],
    }),
  ).maintenanceWindows;

  it('allows any time without windows', () => {
    const at = new Date('2026-12-02T12:00:00Z');
    expect(cutoverAllowed(at, [])).toBe(true);
    expect(nextCutoverTime(at, [])).toEqual(at);
  });

  it.each([
    ['2026-12-05T21:00:00Z', true], // Sat 22:00 Berlin: opens
    ['2026-12-05T20:59:00Z', false], // Sat 21:59
    ['2026-12-06T03:29:00Z', true], // Sun 04:29, Saturday's window
    ['2026-12-06T03:30:00Z', false], // Sun 04:30: closed
    ['2026-12-07T03:00:00Z', true], // Mon 04:00, Sunday's window
    ['2026-12-07T21:30:00Z', false], // Mon 22:30: no window on Mondays
    ['2026-12-08T02:00:00Z', false], // Tue 03:00
  ])('at %s a cut over is allowed: %s', (at, allowed) => {
    expect(cutoverAllowed(new Date(at), windows)).toBe(allowed);
  });

  it('moves a time outside every window to the next opening', () => {
    expect(nextCutoverTime(new Date('2026-12-02T09:13:27Z'), windows)).toEqual(
      new Date('2026-12-05T21:00:00Z'),
    );
    const inside = new Date('2026-12-05T23:00:00Z');
    expect(nextCutoverTime(inside, windows)).toEqual(inside);
  });
});
