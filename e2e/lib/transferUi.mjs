// The portal's transfer views as a person uses them: the request dialog from a claim's "Transfer" button,
// a decision's dialog, and the state a transfer's page shows.
import assert from 'node:assert/strict';
import { checkView } from './views.mjs';

export const transferPath = id =>
  `/namespace-transfer/transfers/${encodeURIComponent(id)}`;

/**
 * Requests a transfer of `spec.source.claim` from the entity page open in `page`: its row's "Transfer",
 * the dialog's destination and choices, the plan awaited (it must say `planShows`), then "Request
 * transfer". Returns the created transfer as the API answered the dialog.
 */
export async function requestInDialog(page, spec, { planShows, view }) {
  const row = page
    .getByRole('row')
    .filter({ hasText: spec.source.claim })
    .filter({ hasText: spec.source.namespace });
  await row.getByRole('button', { name: 'Transfer', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Request a transfer' });
  await dialog.getByLabel('Destination', { exact: true }).selectOption({
    label: spec.destination,
  });
  await dialog.getByRole('radio', { name: spec.mode, exact: true }).check();
  await dialog.getByRole('radio', { name: spec.intent, exact: true }).check();
  if (spec.staging)
    await dialog
      .getByRole('radio', { name: spec.staging, exact: true })
      .check();
  const submit = dialog.getByRole('button', {
    name: 'Request transfer',
    exact: true,
  });
  // the plan is asked again as the form changes: the button turns on once the last one allows it
  await assertEnabled(submit);
  if (spec.comment) await dialog.getByLabel('Comment').fill(spec.comment);
  await dialog.getByText(planShows).first().waitFor();
  await checkView(page, view, { dialog: true });
  const answer = page.waitForResponse(
    r =>
      r.request().method() === 'POST' &&
      new URL(r.url()).pathname === '/api/namespace-transfer/transfers',
  );
  await submit.click();
  const response = await answer;
  assert.equal(response.status(), 201, await response.text());
  await dialog.waitFor({ state: 'detached' });
  return response.json();
}

async function assertEnabled(locator) {
  await locator.waitFor();
  await locator
    .page()
    .waitForFunction(
      el => !el.disabled && el.getAttribute('aria-disabled') !== 'true',
      await locator.elementHandle(),
      { timeout: 60_000 },
    );
}

/**
 * Takes a decision through its button and dialog: `action` names both (e.g. "Approve"), the comment goes
 * into the dialog's "Comment" field. With `claim`, the button is the one in that claim's row.
 */
export async function decideInDialog(page, { claim, action, comment, view }) {
  const button = page.getByRole('button', { name: action, exact: true });
  // the claim's volume row has no decisions: the row meant is the one offering this one
  const scope = claim
    ? page.getByRole('row').filter({ hasText: claim }).filter({ has: button })
    : page.locator('body');
  await scope
    .first()
    .getByRole('button', { name: action, exact: true })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Comment').fill(comment);
  if (view) await checkView(page, view, { dialog: true });
  const answer = page.waitForResponse(
    r =>
      r.request().method() === 'POST' &&
      /^\/api\/namespace-transfer\/transfers\/[^/]+\/[a-z]+$/.test(
        new URL(r.url()).pathname,
      ),
  );
  await dialog.getByRole('button', { name: action, exact: true }).click();
  const response = await answer;
  assert.equal(response.status(), 200, await response.text());
  await dialog.waitFor({ state: 'detached' });
  return response.json();
}

/**
 * The state the transfer's page shows: its summary's chip, the page's first chip naming a state (a
 * Material UI Chip; the event log below it names states in words too).
 */
function shownState() {
  const labels = {
    'Pending approval': 'pending-approval',
    Approved: 'approved',
    Running: 'running',
    Staged: 'staged',
    Succeeded: 'succeeded',
    Failed: 'failed',
    Cancelled: 'cancelled',
    Rejected: 'rejected',
    Expired: 'expired',
  };
  for (const chip of document.querySelectorAll('[class*="MuiChip-label"]')) {
    const state = labels[chip.textContent.trim()];
    if (state) return state;
  }
  return undefined;
}

/** Waits until the transfer's page shows this state. */
export async function stateShown(page, state, timeout = 60_000) {
  await page.waitForFunction(
    ([find, expected]) =>
      // eslint-disable-next-line no-new-func
      new Function(`return (${find})()`)() === expected,
    [shownState.toString(), state],
    { timeout },
  );
}

/**
 * From now on records, in the page itself, every state the page shows (window.__shownStates), and marks
 * the document (window.__sameDocument): a reload or navigation would lose both.
 */
export async function watchShownStates(page) {
  await page.evaluate(find => {
    // eslint-disable-next-line no-new-func
    const current = new Function(`return (${find})()`);
    const shown = [];
    const note = () => {
      const state = current();
      if (state && shown[shown.length - 1] !== state) shown.push(state);
    };
    note();
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    window.__shownStates = shown;
    window.__sameDocument = true;
  }, shownState.toString());
}
