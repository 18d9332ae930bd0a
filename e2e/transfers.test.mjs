// The story of the portal on the demo, with its cast (examples/org.yaml): alice (team-payments) requests a
// cross-cluster copy of payments-db's volume into her other component, reports, and a same-cluster rebind
// of a reports volume into payments-db's namespace; dave, her teammate, approves the copy and rejects the
// rebind; alice watches the copy run and stage live (the page must not poll) and cuts it over; the copied
// files are compared through the clusters; carol (platform team) finds both in the audit view, filters and
// exports it; bob (team-orders) may not approve. Each view is photographed into test-results/e2e/transfers
// and checked with axe-core.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '../scripts/lib/processes.mjs';
import { apiAs } from './lib/api.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { claimDirectory, treeOf } from './lib/clusterData.mjs';
import { expectedCsvFields, parseCsv } from './lib/csv.mjs';
import { recordLiveTraffic } from './lib/liveUpdates.mjs';
import { startPortal } from './lib/portal.mjs';
import {
  decideInDialog,
  requestInDialog,
  stateShown,
  transferPath,
  watchShownStates,
} from './lib/transferUi.mjs';
import {
  accessibilityFindings,
  checkView,
  NARROW,
  signedInPage,
} from './lib/views.mjs';

const CAST = {
  requester: { name: 'Alice', ref: 'user:default/alice' }, // team-payments
  teammate: { name: 'Dave', ref: 'user:default/dave' }, // team-payments
  otherTeam: { name: 'Bob', ref: 'user:default/bob' }, // team-orders
  admin: { name: 'Carol', ref: 'user:default/carol' }, // platform-team, namespaceTransfer.admins
};

/** payments-db's data (east) into reports' namespace on west: a copy, staged, cut over by alice */
const COPY = {
  entityPage: '/catalog/default/component/payments-db/volumes',
  source: { cluster: 'east', namespace: 'payments', claim: 'payments-db-data' },
  destination: 'component:default/reports — west/reports',
  mode: 'Copy',
  intent: 'Clone',
  staging: 'Staged: cut over when I say',
  comment: 'payments history for the quarterly reports',
};

/** reports' exports (west, class `retained`, which allows rebind) into payments-db's namespace on west */
const REBIND = {
  entityPage: '/catalog/default/component/reports/volumes',
  source: { cluster: 'west', namespace: 'reports', claim: 'reports-exports' },
  destination: 'component:default/payments-db — west/payments',
  mode: 'Rebind',
  intent: 'Move',
  comment: 'payments-db takes over the exports',
};

let portal;
let browser;
const api = {};
const pages = {};
const ids = {};
let live;

describe('Transfers: request, approve, watch, cut over, audit', () => {
  before(async () => {
    portal = await startPortal();
    for (const [role, person] of Object.entries(CAST))
      api[role] = await apiAs(portal.baseUrl, person.ref);
    // the copy's source is filled by payments-db's pod when the demo starts: copy it once it is whole
    if (portal.kubeconfig)
      await waitFor(
        'payments-db to fill its volume',
        async () => {
          const dir = await claimDirectory(portal.kubeconfig, COPY.source);
          return dir && existsSync(join(dir, '.seeded'));
        },
        120_000,
      );
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('alice requests a cross-cluster copy of payments-db-data into reports, seeing the plan first', async () => {
    const page = await signedInPage(
      browser,
      portal.baseUrl,
      CAST.requester.name,
    );
    pages.requester = page;
    await page.goto(`${portal.baseUrl}${COPY.entityPage}`);
    await page
      .getByRole('row')
      .filter({ hasText: COPY.source.claim })
      .getByRole('button', { name: 'Transfer', exact: true })
      .waitFor();
    await checkView(page, '00-entity-volumes');
    const created = await requestInDialog(page, COPY, {
      planShows: /copy/i,
      view: '01-request-copy',
    });
    ids.copy = created.id;
    const { transfer } = await api.requester.get(`/transfers/${ids.copy}`);
    assert.equal(transfer.state, 'pending-approval');
    assert.equal(transfer.plan.mode, 'copy');
    assert.deepEqual(
      [transfer.destination.cluster, transfer.destination.namespace],
      ['west', 'reports'],
    );
    assert.equal(transfer.options.stage, true);
  });

  it('alice requests a same-cluster rebind of reports-exports into payments-db', async () => {
    const page = pages.requester;
    await page.goto(`${portal.baseUrl}${REBIND.entityPage}`);
    const created = await requestInDialog(page, REBIND, {
      planShows: /rebind/i,
      view: '02-request-rebind',
    });
    ids.rebind = created.id;
    const { transfer } = await api.requester.get(`/transfers/${ids.rebind}`);
    assert.equal(transfer.state, 'pending-approval');
    assert.equal(transfer.plan.mode, 'rebind');
  });

  it('alice follows her copy on its page and may not approve it herself', async () => {
    const page = pages.requester;
    live = recordLiveTraffic(page, 'namespace-transfer');
    await page.goto(`${portal.baseUrl}${transferPath(ids.copy)}`);
    await stateShown(page, 'pending-approval');
    await watchShownStates(page);
    // from here on the page only follows: every read it makes must answer a signal
    ids.watchedFrom = live.mark();
    assert.equal(
      await page.getByRole('button', { name: 'Approve' }).count(),
      0,
    );
    await checkView(page, '03-transfer-pending');
    const refused = await api.requester.call(
      'POST',
      `/transfers/${ids.copy}/approve`,
      { comment: 'my own' },
    );
    assert.equal(refused.status, 403, refused.text);
  });

  it('bob, of another team, sees no Approve button and the API refuses him', async () => {
    const page = await signedInPage(
      browser,
      portal.baseUrl,
      CAST.otherTeam.name,
    );
    pages.otherTeam = page;
    // alice's link, passed on: the backend does not tell bob it exists, and nothing offers a decision
    await page.goto(`${portal.baseUrl}${transferPath(ids.copy)}`);
    await page
      .getByText(/no such transfer|no transfer/i)
      .first()
      .waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Approve' }).count(),
      0,
    );
    await checkView(page, '04-other-team-no-transfer');
    for (const id of [ids.copy, ids.rebind]) {
      const refused = await api.otherTeam.call(
        'POST',
        `/transfers/${id}/approve`,
        { comment: 'not mine' },
      );
      // who may not read a transfer is told it does not exist rather than that it is refused
      assert.equal(refused.status, 404, refused.text);
      assert.match(refused.json.error.message, /no transfer/);
    }
    const pending = await api.otherTeam.get('/approvals/pending');
    assert.deepEqual(
      pending.items.filter(t => [ids.copy, ids.rebind].includes(t.id)),
      [],
    );
    const { transfer } = await api.admin.get(`/transfers/${ids.copy}`);
    assert.equal(transfer.state, 'pending-approval');
  });

  it('dave, her teammate, finds both waiting for him, rejects the rebind and approves the copy, each with a comment', async () => {
    const page = await signedInPage(
      browser,
      portal.baseUrl,
      CAST.teammate.name,
    );
    pages.teammate = page;
    await page.goto(portal.baseUrl);
    const waiting = page.getByRole('table', {
      name: 'Waiting for your approval',
    });
    const request = spec =>
      waiting.getByRole('row').filter({ hasText: spec.source.claim });
    await request(REBIND).waitFor();
    await request(COPY).waitFor();
    await checkView(page, '05-home-waiting-for-approval');

    await request(REBIND).getByRole('link').first().click();
    await page.waitForURL(`**${transferPath(ids.rebind)}`);
    await decideInDialog(page, {
      action: 'Reject',
      comment: 'keep the exports beside reports for now',
    });
    await stateShown(page, 'rejected');

    await page.goBack();
    await request(COPY).getByRole('link').first().click();
    await page.waitForURL(`**${transferPath(ids.copy)}`);
    await decideInDialog(page, {
      action: 'Approve',
      comment: 'go ahead, cut over after the nightly run',
      view: '06-approve-dialog',
    });
    assert.equal(
      await page.getByRole('button', { name: 'Approve' }).count(),
      0,
    );

    const rebind = await api.teammate.get(`/transfers/${ids.rebind}`);
    assert.equal(rebind.transfer.state, 'rejected');
    assert.deepEqual(
      rebind.decisions.map(d => [d.kind, d.actor, d.comment]),
      [
        [
          'reject',
          CAST.teammate.ref,
          'keep the exports beside reports for now',
        ],
      ],
    );
    const copy = await api.teammate.get(`/transfers/${ids.copy}`);
    assert.deepEqual(copy.transfer.approvedBy, [CAST.teammate.ref]);
  });

  it('alice sees the copy run and stage on the page she opened, without reloading, and the page does not poll', async () => {
    const page = pages.requester;
    await stateShown(page, 'staged', 300_000);
    const seen = await page.evaluate(() => window.__shownStates);
    assert.ok(
      seen.indexOf('running') >= 0 &&
        seen.indexOf('running') < seen.indexOf('staged'),
      `states shown in order: ${seen.join(', ')}`,
    );
    assert.equal(await page.evaluate(() => window.__sameDocument), true);
    assert.ok(
      live.signalsSince(ids.watchedFrom) > 0,
      'no transfer signal reached the page',
    );
    assert.deepEqual(live.unexplainedReadsSince(ids.watchedFrom), []);
    await checkView(page, '07-transfer-staged');
  });

  it('alice cuts the staged copy over, and it succeeds while she watches', async () => {
    const page = pages.requester;
    const start = live.mark();
    live.noteAction();
    await decideInDialog(page, {
      action: 'Cut over now',
      comment: 'the nightly run is done',
    });
    await stateShown(page, 'succeeded', 300_000);
    assert.equal(await page.evaluate(() => window.__sameDocument), true);
    assert.deepEqual(live.unexplainedReadsSince(start), []);
    await checkView(page, '08-transfer-succeeded');
    const { transfer } = await api.requester.get(`/transfers/${ids.copy}`);
    assert.equal(transfer.state, 'succeeded');
  });

  it('the copy holds the same files as its source, read through the clusters; the rejected rebind moved nothing', async t => {
    if (!portal.kubeconfig) {
      t.skip('set E2E_KUBECONFIG to read the demo clusters');
      return;
    }
    const { transfer } = await api.admin.get(`/transfers/${ids.copy}`);
    const source = await claimDirectory(portal.kubeconfig, COPY.source);
    const copied = await claimDirectory(
      portal.kubeconfig,
      transfer.destination,
    );
    assert.ok(source && copied, 'both claims are bound');
    const files = await treeOf(source);
    assert.ok(
      Object.keys(files).length > 200,
      'the source holds the seeded records',
    );
    assert.deepEqual(await treeOf(copied), files);

    assert.ok(await claimDirectory(portal.kubeconfig, REBIND.source));
    assert.equal(
      await claimDirectory(portal.kubeconfig, {
        cluster: 'west',
        namespace: 'payments',
        claim: REBIND.source.claim,
      }),
      undefined,
    );
  });

  it('carol, a platform admin, finds both in the audit view, filters it and exports what the API lists', async () => {
    const page = await signedInPage(browser, portal.baseUrl, CAST.admin.name);
    pages.admin = page;
    await page.goto(`${portal.baseUrl}/namespace-transfer`);
    const row = spec =>
      page.getByRole('row').filter({ hasText: spec.source.claim }).first();
    await row(COPY).waitFor();
    await row(REBIND).waitFor();
    await checkView(page, '09-audit');

    await page.getByLabel('Requester').fill(CAST.requester.ref);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page
      .getByRole('group', { name: 'Transfers by state' })
      .getByRole('button', { name: /^Succeeded: / })
      .click();
    await row(REBIND).waitFor({ state: 'detached' });
    await row(COPY).waitFor();
    await checkView(page, '10-audit-filtered');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const exported = parseCsv(await readFile(await download.path(), 'utf8'));
    const listed = await api.admin.listAll({
      requester: CAST.requester.ref,
      state: 'succeeded',
    });
    assert.deepEqual(
      listed.map(t => t.id),
      [ids.copy],
    );
    const columns = Object.keys(expectedCsvFields(listed[0]));
    assert.deepEqual(
      exported.map(r => Object.fromEntries(columns.map(k => [k, r[k]]))),
      listed.map(expectedCsvFields),
    );
  });

  it('reads on a narrow window', async () => {
    // signed in wide (the narrow sidebar hides the name the sign-in waits for), then read narrow
    const page = await signedInPage(
      browser,
      portal.baseUrl,
      CAST.requester.name,
    );
    await page.setViewportSize(NARROW);
    await page.goto(`${portal.baseUrl}${transferPath(ids.copy)}`);
    await stateShown(page, 'succeeded');
    await checkView(page, '11-transfer-narrow', { fullPage: false });
    // readable means no sideways scrolling of the page itself (a wide table may scroll in its own box)
    const { overflow, widest } = await page.evaluate(() => {
      const width = window.innerWidth;
      const describe = el =>
        `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 2).join('.')}`;
      return {
        overflow: document.documentElement.scrollWidth - width,
        // the innermost elements that stick out: what makes the page wide
        widest: [...document.body.querySelectorAll('*')]
          .filter(
            el =>
              el.getBoundingClientRect().right > width &&
              ![...el.children].some(
                c => c.getBoundingClientRect().right > width,
              ),
          )
          .slice(0, 5)
          .map(describe),
      };
    });
    assert.ok(
      overflow <= 0,
      `the page is ${overflow}px wider than the window: ${widest.join(', ')}`,
    );
  });

  it('shows every view above without a serious or critical axe-core violation', () => {
    assert.deepEqual(accessibilityFindings, {});
  });
});
