// An accessibility check of what the page shows now, with axe-core (a root devDependency) injected into it.
import { createRequire } from 'node:module';

const axeSource = createRequire(import.meta.url)('axe-core').source;

const BLOCKING = new Set(['serious', 'critical']);

/**
 * The serious and critical violations on the page, or within the element `selector` finds, each as
 * "rule (impact): help: the first few elements".
 */
export async function seriousViolations(page, selector) {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.addScriptTag({ content: axeSource });
  const { violations } = await page.evaluate(
    within =>
      window.axe.run(within ?? document, { resultTypes: ['violations'] }),
    selector,
  );
  return violations
    .filter(v => BLOCKING.has(v.impact))
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help}: ${v.nodes
          .slice(0, 3)
          .map(n => `${n.target.join(' ')} [${whyOf(n)}]`)
          .join(', ')}`,
    );
}

/** axe's own words on one element, e.g. its contrast ratio and colours */
function whyOf(node) {
  const check = [...node.any, ...node.all, ...node.none][0];
  return check?.message ?? node.failureSummary ?? '';
}
