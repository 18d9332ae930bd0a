// Each view of the story is photographed for the README and checked with axe-core as it is shown.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seriousViolations } from './axe.mjs';
import { screenshotDir } from './browser.mjs';
import { signInAs } from './signIn.mjs';

/**
 * Where a run of the story photographs its views: beside the other e2e screenshots, outside the tracked
 * tree, so that `npm test` leaves a clone clean; the README's copies in docs/screenshots/transfers are
 * refreshed from here by hand.
 */
export const storyScreenshotDir = join(screenshotDir, 'transfers');

export const WIDE = { width: 1280, height: 900 };
export const NARROW = { width: 420, height: 900 };

/** A person of the cast in a browser context of their own, signed in through the demo sign-in page. */
export async function signedInPage(browser, baseUrl, name, viewport = WIDE) {
  const context = await browser.newContext({
    viewport,
    acceptDownloads: true,
    // the portal's Content Security Policy forbids inline scripts, axe-core's among them
    bypassCSP: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await signInAs(page, baseUrl, name);
  return page;
}

/**
 * What axe-core found serious or critical, by view: the story goes on past a view that fails, so that one
 * run tells every view's findings; the test's last step fails on any.
 */
export const accessibilityFindings = {};

/**
 * The view as it is now: a screenshot, and its accessibility checked (see accessibilityFindings). A page
 * is taken whole unless `fullPage` is false (a phone-sized window reads better as the phone shows it); a
 * dialog as the window shows it (its overlay covers the window only) and checked alone: the page behind
 * its backdrop is dimmed on purpose, and was checked as a view of its own. Another story photographs into
 * a directory of its own (`dir`).
 */
export async function checkView(
  page,
  name,
  { dialog = false, fullPage = !dialog, dir = storyScreenshotDir } = {},
) {
  mkdirSync(dir, { recursive: true });
  await page.screenshot({
    path: join(dir, `${name}.png`),
    fullPage,
  });
  const violations = await seriousViolations(
    page,
    dialog ? '[role="dialog"]' : undefined,
  );
  if (violations.length) accessibilityFindings[name] = violations;
}
