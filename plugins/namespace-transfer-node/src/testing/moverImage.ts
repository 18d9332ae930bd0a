/**
 * Test support: the mover image's Containerfile is the one list of what the image holds. Tests that
 * simulate the image read its packages from there, so the image and the tests cannot drift apart.
 */
import { readFileSync } from 'node:fs';

/**
 * The packages the Containerfile installs by name: the words after `apt-get install` in its RUN
 * instructions (options skipped), up to the end of that command.
 */
export function moverImagePackages(file: string): string[] {
  const instructions = readFileSync(file, 'utf8')
    .split('\n')
    .filter(l => !l.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n');
  const packages = instructions
    .filter(i => /^\s*RUN\s/i.test(i))
    .flatMap(i => i.split(/&&|;|\|\|/))
    .map(command => command.trim().split(/\s+/))
    .filter(words => words[0] === 'apt-get' && words.includes('install'))
    .flatMap(words =>
      words.slice(words.indexOf('install') + 1).filter(w => !w.startsWith('-')),
    );
  if (packages.length === 0)
    throw new Error(`no apt-get install of packages in ${file}`);
  return packages;
}
