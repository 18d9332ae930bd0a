// A person signs in and lands on the home page: greeted by name, their team's components on Kubernetes
// leading to their volumes, the clusters page; their own catalog page shows their profile and team.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, screenshotDir } from './lib/browser.mjs';
import { startPortal } from './lib/portal.mjs';
import { signInAs } from './lib/signIn.mjs';

let portal;
let browser;
let page;

describe('Home page and user pages', () => {
  before(async () => {
    portal = await startPortal();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(60_000);
    await signInAs(page, portal.baseUrl, 'Alice');
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it("greets alice by her display name and lists her team's components that name Kubernetes resources", async () => {
    await page.goto(portal.baseUrl);
    await page
      .getByRole('heading', { name: 'Welcome, Alice (team-payments)' })
      .waitFor();
    assert.equal(await page.getByText(/ERROR 404/).count(), 0);

    const table = page.getByRole('table', {
      name: 'Your components on Kubernetes',
    });
    const paymentsDb = table
      .getByRole('row')
      .filter({ hasText: 'payments-db' });
    await paymentsDb.waitFor();
    assert.match(await paymentsDb.innerText(), /id payments-db/);
    assert.match(await paymentsDb.innerText(), /namespace payments/);
    assert.match(await paymentsDb.innerText(), /Team Payments|team-payments/);
    // reports is team-payments' too; billing-website has no Kubernetes annotation, orders-api is bob's.
    const names = await table
      .getByRole('row')
      .evaluateAll(rows =>
        rows.slice(1).map(row => row.cells[0].querySelector('a')?.textContent),
      );
    assert.deepEqual(names, ['payments-db', 'reports']);
    assert.ok(
      await page
        .getByRole('link', { name: 'Go to the clusters page' })
        .isVisible(),
    );
    await page.screenshot({
      path: join(screenshotDir, 'home.png'),
      fullPage: true,
    });

    await paymentsDb
      .getByRole('link', { name: 'payments-db', exact: true })
      .click();
    await page.waitForURL(
      /\/catalog\/default\/component\/payments-db\/volumes$/,
    );
    await page
      .getByRole('row')
      .filter({ hasText: 'payments-db-data' })
      .waitFor();
  });

  it('leads from the home page to the clusters page', async () => {
    await page.goto(portal.baseUrl);
    await page.getByRole('link', { name: 'Go to the clusters page' }).click();
    // the platform page's Clusters tab (its index tab lists transfers)
    await page.waitForURL(/\/namespace-transfer\/clusters$/);
    await page.getByRole('row').filter({ hasText: 'east' }).waitFor();
  });

  it("shows alice's profile and her group on her user page", async () => {
    await page.goto(`${portal.baseUrl}/catalog/default/user/alice`);
    await page
      .getByRole('heading', { name: 'Alice (team-payments)' })
      .first()
      .waitFor();
    await page
      .getByRole('link', { name: 'alice@example.com' })
      .first()
      .waitFor();
    await page
      .locator('a[href$="/catalog/default/group/team-payments"]')
      .filter({ hasText: 'Team Payments' })
      .first()
      .waitFor();
    await page.getByText('Ownership', { exact: true }).waitFor();
    await page.screenshot({
      path: join(screenshotDir, 'user-alice.png'),
      fullPage: true,
    });
  });

  it("shows team-payments' members and what it owns on its group page", async () => {
    await page.goto(`${portal.baseUrl}/catalog/default/group/team-payments`);
    await page.getByText(/Team Payments members \(2 of 2\)/).waitFor();
    // A member is their avatar (a link to their page), display name and email: alice requests, dave approves.
    await page.locator('a[href$="/catalog/default/user/alice"]').waitFor();
    await page.getByText('Alice (team-payments)', { exact: true }).waitFor();
    await page.locator('a[href$="/catalog/default/user/dave"]').waitFor();
    await page.getByText('Dave (team-payments)', { exact: true }).waitFor();
    // Ownership: payments-db and reports are services, billing-website a website.
    await page.getByText('Ownership', { exact: true }).waitFor();
    await page.getByRole('link', { name: /^2\s*services/i }).waitFor();
    await page.getByRole('link', { name: /^1\s*website/i }).waitFor();
    await page.screenshot({
      path: join(screenshotDir, 'group-team-payments.png'),
      fullPage: true,
    });
  });
});
