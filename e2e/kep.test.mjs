// The Namespace Transfer KEP's own story through kubectl, on the demo, and one audit trail: the README's
// block (a NamespaceTransferRequest in payments, the claim `exports` whose dataSourceRef names it, the
// approval in reports) is applied as a reader pastes it; the backend's KEP controller rebinds the volume
// of reports/reports-exports to payments/exports. The files are compared through the cluster, the
// approval's status read, and carol (platform team) finds the transfer in the portal marked "via
// Kubernetes API", with no action offered by the page or accepted by the API. Views are photographed into
// test-results/e2e/kep and checked with axe-core.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../scripts/lib/processes.mjs';
import { apiAs } from './lib/api.mjs';
import { launchBrowser, screenshotDir } from './lib/browser.mjs';
import { claimDirectory, treeOf } from './lib/clusterData.mjs';
import { getObject, waitForObject } from './lib/kubectl.mjs';
import { startPortal } from './lib/portal.mjs';
import { readmeBlock } from './lib/readme.mjs';
import { stateShown, transferPath } from './lib/transferUi.mjs';
import {
  accessibilityFindings,
  checkView,
  NARROW,
  signedInPage,
} from './lib/views.mjs';

const CLUSTER = 'west';
const SOURCE = {
  cluster: CLUSTER,
  namespace: 'reports',
  claim: 'reports-exports',
};
const DESTINATION = {
  cluster: CLUSTER,
  namespace: 'payments',
  claim: 'exports',
};
const REQUEST = { namespace: 'payments', name: 'exports-from-reports' };
const APPROVAL = { namespace: 'reports', name: 'exports-to-payments' };
const ADMIN = { name: 'Carol', ref: 'user:default/carol' }; // namespaceTransfer.admins
/** every decision the portal can offer (plugins/namespace-transfer TransferActions/decisions.ts) */
const DECISION_BUTTONS = [
  'Approve',
  'Reject',
  'Cancel transfer',
  'Retry',
  'Resume',
  'Cut over now',
];
const shots = join(screenshotDir, 'kep');

let portal;
let browser;
let admin;
const seen = {};

const requestObject = () => ({
  kubeconfig: portal.kubeconfig,
  context: CLUSTER,
  resource: 'namespacetransferrequests',
  ...REQUEST,
});

/** files of our own beside what reports-exporter seeded: a tree with a directory, a link and bytes */
async function addOwnFiles(dir) {
  await mkdir(join(dir, 'kep-e2e/nested'), { recursive: true });
  await writeFile(join(dir, 'kep-e2e/nested/ledger.csv'), 'day,total\n1,42\n');
  await writeFile(
    join(dir, 'kep-e2e/binary.bin'),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256)),
  );
  await symlink('nested/ledger.csv', join(dir, 'kep-e2e/latest'));
}

describe('The KEP through kubectl, in the portal', () => {
  before(async () => {
    portal = await startPortal();
    assert.ok(portal.kubeconfig, 'set E2E_KUBECONFIG to reach the clusters');
    admin = await apiAs(portal.baseUrl, ADMIN.ref);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it("applies the README's block with kubectl and the request succeeds", async () => {
    // reports-exporter's pod seeds the claim when the demo starts: add to it once it is whole
    await waitFor(
      'reports-exporter to fill its volume',
      async () => {
        const dir = await claimDirectory(portal.kubeconfig, SOURCE);
        return dir && existsSync(join(dir, '.seeded'));
      },
      120_000,
    );
    const sourceDir = await claimDirectory(portal.kubeconfig, SOURCE);
    await addOwnFiles(sourceDir);
    seen.tree = await treeOf(sourceDir);
    seen.volume = (
      await getObject(
        portal.kubeconfig,
        CLUSTER,
        'pvc',
        SOURCE.claim,
        SOURCE.namespace,
      )
    ).spec.volumeName;

    const block = readmeBlock('### The KEP through kubectl');
    assert.match(block, /^kubectl --context west apply -f - <<'EOF'$/m);
    // as pasted into a shell that ran the walk-through's export line: every line must succeed
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-e', '-o', 'pipefail', '-c', block],
      { env: { ...process.env, KUBECONFIG: portal.kubeconfig } },
    );
    assert.match(
      stdout,
      /namespacetransferrequest\S*\/exports-from-reports created/,
    );
    assert.match(stdout, /persistentvolumeclaim\/exports created/);
    assert.match(
      stdout,
      /namespacetransferapproval\S*\/exports-to-payments created/,
    );
    assert.match(stdout, /^NAME\s/m, 'the get line prints its table');

    const done = await waitForObject(requestObject(), {
      what: `NamespaceTransferRequest ${REQUEST.namespace}/${REQUEST.name} to succeed`,
      done: r => r.status?.phase === 'Succeeded',
      failed: r =>
        r.status?.phase === 'Failed' &&
        `it failed: ${r.status.message ?? JSON.stringify(r.status)}`,
      timeoutMs: 180_000,
    });
    assert.equal(done.status.observedGeneration, done.metadata.generation);
  });

  it('payments/exports is bound to the same volume and holds the files reports-exports held', async () => {
    const claim = await getObject(
      portal.kubeconfig,
      CLUSTER,
      'pvc',
      DESTINATION.claim,
      DESTINATION.namespace,
    );
    assert.equal(claim.status.phase, 'Bound');
    assert.equal(claim.spec.volumeName, seen.volume);
    const dir = await claimDirectory(portal.kubeconfig, DESTINATION);
    assert.ok(existsSync(join(dir, 'kep-e2e/nested/ledger.csv')));
    assert.deepEqual(await treeOf(dir), seen.tree);
  });

  it('the approval says it was used, by this request', async () => {
    const approval = await waitForObject(
      {
        kubeconfig: portal.kubeconfig,
        context: CLUSTER,
        resource: 'namespacetransferapprovals',
        ...APPROVAL,
      },
      {
        what: `NamespaceTransferApproval ${APPROVAL.namespace}/${APPROVAL.name} to be Used`,
        done: a => a.status?.phase === 'Used',
        timeoutMs: 30_000,
      },
    );
    const request = await getObject(
      portal.kubeconfig,
      CLUSTER,
      'namespacetransferrequests',
      REQUEST.name,
      REQUEST.namespace,
    );
    assert.deepEqual(approval.status.matchedRequest, {
      ...REQUEST,
      uid: request.metadata.uid,
    });
  });

  it('carol sees it through the API as requested via Kubernetes, with no action, and may not approve it', async () => {
    // the backend records what its controller did as it happens: wait for the record to say it ended
    await waitFor(
      'the backend to record the transfer as succeeded',
      async () => {
        const listed = await admin.listAll({ requestedVia: 'kubernetes' });
        seen.transfer = listed.find(
          t => t.kubernetesRequest?.name === REQUEST.name,
        );
        return seen.transfer?.state === 'succeeded';
      },
      60_000,
    );
    const { transfer } = await admin.get(`/transfers/${seen.transfer.id}`);
    assert.equal(transfer.requestedVia, 'kubernetes');
    assert.deepEqual(transfer.kubernetesRequest, {
      cluster: CLUSTER,
      ...REQUEST,
    });
    assert.equal(transfer.state, 'succeeded');
    assert.deepEqual(transfer.allowedActions, []);
    assert.deepEqual(
      [transfer.source.namespace, transfer.source.claim],
      [SOURCE.namespace, SOURCE.claim],
    );
    assert.deepEqual(
      [transfer.destination.namespace, transfer.destination.claim],
      [DESTINATION.namespace, DESTINATION.claim],
    );

    const refused = await admin.call(
      'POST',
      `/transfers/${transfer.id}/approve`,
      { comment: 'from the portal' },
    );
    assert.equal(refused.status, 409, refused.text);
    assert.match(
      refused.json.error.message,
      /NamespaceTransferRequest .*payments\/exports-from-reports/,
    );
  });

  it('carol finds it in the Transfers view, marked "via Kubernetes API", and its page offers no action', async () => {
    const page = await signedInPage(browser, portal.baseUrl, ADMIN.name);
    await page.goto(`${portal.baseUrl}/namespace-transfer`);
    const row = page
      .getByRole('row')
      .filter({ hasText: REQUEST.name })
      .filter({ hasText: 'via Kubernetes API' });
    await row.first().waitFor();
    await checkView(page, 'audit', { dir: shots });

    await page.goto(`${portal.baseUrl}${transferPath(seen.transfer.id)}`);
    await stateShown(page, 'succeeded');
    await page
      .getByText('via Kubernetes API', { exact: true })
      .first()
      .waitFor();
    for (const name of DECISION_BUTTONS)
      assert.equal(
        await page.getByRole('button', { name, exact: true }).count(),
        0,
        `the page offers "${name}"`,
      );
    await checkView(page, 'transfer', { dir: shots });

    await page.setViewportSize(NARROW);
    await page
      .getByText('via Kubernetes API', { exact: true })
      .first()
      .waitFor();
    await checkView(page, 'transfer-narrow', { dir: shots, fullPage: false });
  });

  it('shows every view above without a serious or critical axe-core violation', () => {
    assert.deepEqual(accessibilityFindings, {});
  });
});
