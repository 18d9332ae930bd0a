// The README's own shell blocks, read from README.md so that a test runs what a reader pastes and the
// README stays true.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The text of the first fenced block after the heading `heading` (the whole heading line). */
export function readmeBlock(heading) {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const at = lines.indexOf(heading);
  if (at < 0) throw new Error(`README.md has no heading "${heading}"`);
  const open = lines.findIndex((l, i) => i > at && /^```/.test(l));
  const close = lines.findIndex((l, i) => i > open && /^```\s*$/.test(l));
  const next = lines.findIndex((l, i) => i > at && /^#{1,3} /.test(l));
  if (open < 0 || close < 0 || (next >= 0 && next < open))
    throw new Error(`README.md has no fenced block under "${heading}"`);
  return lines.slice(open + 1, close).join('\n');
}
