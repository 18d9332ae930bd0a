import {
  checkForm,
  CheckContext,
  CUSTOM_DESTINATION,
  initialForm,
  planRequestsOf,
  RequestForm,
  RequestSource,
} from './formModel';
import { destinations } from './testFixtures';

const one: RequestSource = {
  cluster: 'east',
  namespace: 'payments',
  claims: ['payments-db-data'],
};
const batch: RequestSource = { ...one, claims: ['a-data', 'b-data'] };
const now = new Date('2026-12-05T10:00:00Z');

const context = (source: RequestSource): CheckContext => ({
  source,
  destinations: destinations.destinations,
  cutoverWindows: [],
  now,
});

const formFor = (source: RequestSource, change: Partial<RequestForm> = {}) => ({
  ...initialForm(source, destinations.destinations, false),
  ...change,
});

describe('initialForm', () => {
  it("points at the first destination elsewhere and keeps the claim's name", () => {
    const form = initialForm(one, destinations.destinations, false);
    expect(form.destination).toBe('component:default/orders-api|west|orders');
    expect(form.claim).toBe('payments-db-data');
  });

  it('leaves an admin with no entity of their own to name a cluster and namespace', () => {
    expect(initialForm(one, [], true).destination).toBe(CUSTOM_DESTINATION);
    expect(initialForm(one, [], false).destination).toBe('');
  });
});

describe('checkForm', () => {
  it("builds a request of the form's choices, leaving out what was not chosen", () => {
    const { draft, errors } = checkForm(
      formFor(one, {
        storageClass: 'fast',
        mode: 'copy',
        intent: 'clone',
        staging: 'manual',
        verify: 'sample',
        verifySampleRatio: '0.25',
        comment: '  before the release  ',
      }),
      context(one),
    );
    expect(errors).toEqual({});
    expect(draft).toEqual({
      kind: 'one',
      request: {
        source: {
          cluster: 'east',
          namespace: 'payments',
          claim: 'payments-db-data',
        },
        destination: {
          entityRef: 'component:default/orders-api',
          cluster: 'west',
          namespace: 'orders',
          claim: 'payments-db-data',
          storageClass: 'fast',
        },
        mode: 'copy',
        intent: 'clone',
        options: { verify: 'sample', verifySampleRatio: 0.25, stage: true },
        comment: 'before the release',
      },
    });
  });

  it("puts each of the schema's issues at its field, and gives no draft", () => {
    const { draft, errors } = checkForm(
      formFor(one, {
        claim: 'Bad_Name',
        verify: 'sample',
        verifySampleRatio: '2',
      }),
      context(one),
    );
    expect(draft).toBeUndefined();
    expect(errors.claim).toMatch(
      /^destination\.claim must be a DNS-1123 subdomain/,
    );
    expect(errors.verifySampleRatio).toBe(
      'options.verifySampleRatio must be at most 1',
    );
    expect(errors.form).toBeUndefined();
  });

  it("says at the admin's fields what is wrong with their cluster and namespace", () => {
    const { errors } = checkForm(
      formFor(one, {
        destination: CUSTOM_DESTINATION,
        entityRef: 'orders-api',
        cluster: '',
        namespace: 'Orders',
      }),
      context(one),
    );
    expect(errors.entityRef).toMatch(
      /destination\.entityRef must have the form kind:namespace\/name/,
    );
    expect(errors.cluster).toBe(
      'destination.cluster must name a configured cluster',
    );
    expect(errors.namespace).toMatch(
      /destination\.namespace must be a DNS-1123 label/,
    );
  });

  it('refuses staging with a rebind, and a scheduled cut over without a time or in the past', () => {
    expect(
      checkForm(
        formFor(one, { mode: 'rebind', staging: 'manual' }),
        context(one),
      ).errors.staging,
    ).toMatch(/Rebind .* has no staging/);
    expect(
      checkForm(formFor(one, { staging: 'scheduled' }), context(one)).errors
        .cutoverAt,
    ).toBe('Choose when to cut over');
    expect(
      checkForm(
        formFor(one, { staging: 'scheduled', cutoverAt: '2020-01-01T10:00' }),
        context(one),
      ).errors.cutoverAt,
    ).toBe('This time has passed: choose a time ahead');
  });

  it('sends a scheduled cut over as an ISO time inside the windows, and says when it is outside', () => {
    const windows = [
      { days: ['sat'], start: '22:00', end: '04:00', timeZone: 'UTC' },
    ];
    const at = (local: string) =>
      checkForm(formFor(one, { staging: 'scheduled', cutoverAt: local }), {
        ...context(one),
        cutoverWindows: windows,
      });
    // 2026-12-13 is a Sunday: 01:00 UTC lies in Saturday's window past midnight
    const inside = new Date(Date.UTC(2026, 11, 13, 1, 0));
    const local = (d: Date) =>
      new Date(d.getTime() - d.getTimezoneOffset() * 60_000)
        .toISOString()
        .slice(0, 16);
    const ok = at(local(inside));
    expect(ok.errors).toEqual({});
    expect(ok.draft?.request).toMatchObject({
      cutoverAt: inside.toISOString(),
      options: { stage: true },
    });
    const outside = at(local(new Date(Date.UTC(2026, 11, 13, 5, 0))));
    expect(outside.draft).toBeUndefined();
    expect(outside.errors.cutoverAt).toBe(
      'This time is outside the cut-over windows (sat 22:00–04:00 (UTC)): choose a time inside one',
    );
  });

  it('builds a batch without a claim name, and plans each of its claims', () => {
    const { draft, errors } = checkForm(
      formFor(batch, { claim: 'ignored' }),
      context(batch),
    );
    expect(errors).toEqual({});
    expect(draft?.kind).toBe('batch');
    expect(draft?.request.source).toEqual({
      cluster: 'east',
      namespace: 'payments',
      claims: ['a-data', 'b-data'],
    });
    expect(draft?.request.destination).not.toHaveProperty('claim');
    const planned = planRequestsOf(draft!);
    expect(planned.map(p => p.claim)).toEqual(['a-data', 'b-data']);
    expect(planned[1].request.source).toEqual({
      cluster: 'east',
      namespace: 'payments',
      claim: 'b-data',
    });
    expect(planned[1].request.destination).toEqual(draft?.request.destination);
  });

  it("refuses a batch the schema's limits refuse, at the claims", () => {
    const twice = { ...batch, claims: ['a-data', 'a-data'] };
    expect(checkForm(formFor(twice), context(twice)).errors.source).toBe(
      'source.claims names a claim twice',
    );
  });
});
