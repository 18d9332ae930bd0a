// A team member signs in, opens a component and sees its seeded volumes on the Volumes & transfers tab.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, screenshotDir } from './lib/browser.mjs';
import { startPortal } from './lib/portal.mjs';
import { withoutClusterRoleBinding } from './lib/clusterAdmin.mjs';
import { signInAs } from './lib/signIn.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

let portal;
let browser;
let page;

describe('Volumes & transfers', () => {
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

  it('shows the seeded PVC of payments-db with size, class, status and its Deployment', async () => {
    await page.goto(`${portal.baseUrl}/catalog/default/component/payments-db`);
    await page
      .getByText('Volumes & transfers', { exact: true })
      .first()
      .click();
    const row = page.getByRole('row').filter({ hasText: 'payments-db-data' });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /payments/);
    assert.match(text, /1Gi/);
    assert.match(text, /standard/);
    assert.match(text, /Bound/);
    assert.match(text, /Deployment payments-db/);
    await page.getByText('Cluster east', { exact: true }).waitFor();
    await page.getByText('Cluster west', { exact: true }).waitFor();
    await page.screenshot({
      path: join(screenshotDir, 'payments-db-volumes.png'),
      fullPage: true,
    });
  });

  it('shows the orders-api claims of a Deployment and a StatefulSet', async () => {
    await page.goto(
      `${portal.baseUrl}/catalog/default/component/orders-api/volumes`,
    );
    await page.getByRole('row').filter({ hasText: 'orders-uploads' }).waitFor();
    const cache = await page
      .getByRole('row')
      .filter({ hasText: 'data-orders-cache-0' })
      .innerText();
    assert.match(cache, /StatefulSet orders-cache/);
    assert.match(cache, /fast/);
    await page.screenshot({
      path: join(screenshotDir, 'orders-api-volumes.png'),
      fullPage: true,
    });
  });

  it('explains which annotation to add on a component without Kubernetes resources', async () => {
    await page.goto(
      `${portal.baseUrl}/catalog/default/component/billing-website/volumes`,
    );
    await page
      .getByText(/Missing Annotation/i)
      .first()
      .waitFor();
    assert.ok(
      await page.getByText('backstage.io/kubernetes-id').first().isVisible(),
    );
  });

  it('shows a cluster that refuses access as an error without hiding the other cluster', async t => {
    if (!portal.kubeconfig) {
      t.skip('set E2E_KUBECONFIG to change what the demo clusters allow');
      return;
    }
    // The backend's ServiceAccount on west loses the read-only ClusterRole of deploy/rbac.
    await withoutClusterRoleBinding(
      portal.kubeconfig,
      'west',
      'namespace-transfer-reader-namespace-transfer',
      async () => {
        // the backend keeps a cluster's answer for a few seconds (namespaceTransfer.volumesCacheTtlMs):
        // the refusal shows once that answer is stale, so look again until it does (bounded)
        const forbidden = page.getByText(/Cluster west: forbidden/).first();
        for (let attempt = 0; ; attempt++) {
          await page.goto(
            `${portal.baseUrl}/catalog/default/component/reports/volumes`,
          );
          const shown = await forbidden
            .waitFor({ timeout: 3000 })
            .then(() => true)
            .catch(() => false);
          if (shown) break;
          assert.ok(attempt < 10, 'west never showed as forbidden');
        }
        await page.getByText('Cluster east', { exact: true }).waitFor();
        assert.ok(
          await page
            .getByText(/403 Forbidden/)
            .first()
            .isVisible(),
        );
        await page.screenshot({
          path: join(screenshotDir, 'reports-west-forbidden.png'),
          fullPage: true,
        });
      },
    );
    await page.goto(
      `${portal.baseUrl}/catalog/default/component/reports/volumes`,
    );
    const archive = await page
      .getByRole('row')
      .filter({ hasText: 'reports-archive' })
      .innerText();
    assert.match(archive, /Deployment reports/);
  });

  it('shows a copy made with the CLI under the destination entity: the copy keeps its catalog label', async t => {
    if (!portal.kubeconfig) {
      t.skip('set E2E_KUBECONFIG to run the CLI against the demo clusters');
      return;
    }
    const run = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'plugins/namespace-transfer-node/bin/nstransfer'),
        'run',
        'orders/orders-uploads',
        '--source-context',
        'east',
        '--destination-context',
        'west',
        '--intent',
        'clone',
        '--id',
        'e2e-orders-west',
        '--output',
        'json',
      ],
      {
        env: {
          ...process.env,
          KUBECONFIG: portal.kubeconfig,
          NSTRANSFER_STATE_DIR: mkdtempSync(join(tmpdir(), 'e2e-nstransfer-')),
        },
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    // the backend keeps a cluster's answer for a few seconds: look again until the copy shows
    const rows = page.getByRole('row').filter({ hasText: 'orders-uploads' });
    for (let attempt = 0; ; attempt++) {
      await page.goto(
        `${portal.baseUrl}/catalog/default/component/orders-api/volumes`,
      );
      await page.getByText('Cluster west', { exact: true }).waitFor();
      await rows.first().waitFor();
      // east's source and west's copy: two rows named orders-uploads
      if ((await rows.count()) >= 2) break;
      assert.ok(attempt < 10, 'the copy never showed under orders-api on west');
      await page.waitForTimeout(1000);
    }
    await page.screenshot({
      path: join(screenshotDir, 'orders-api-copied-to-west.png'),
      fullPage: true,
    });
  });

  it('lists the configured clusters and their reachability on the platform page', async () => {
    await page.goto(`${portal.baseUrl}/namespace-transfer`);
    await page.getByRole('tab', { name: 'Clusters' }).click();
    const east = page.getByRole('row').filter({ hasText: 'east' });
    await east.waitFor();
    assert.match(await east.innerText(), /Reachable/);
    const west = await page
      .getByRole('row')
      .filter({ hasText: 'west' })
      .innerText();
    assert.match(west, /OpenShift/);
    await page.screenshot({
      path: join(screenshotDir, 'namespace-transfer-page.png'),
      fullPage: true,
    });
  });
});
