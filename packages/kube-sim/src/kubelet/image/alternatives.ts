import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const ADMIN_DIR = '/var/lib/dpkg/alternatives';

/** One choice of an alternatives group: the file the links point at, and what each slave link points at. */
export interface Alternative {
  path: string;
  priority: number;
  /** slave link path -> that choice's file for it ('' when the choice has none) */
  slaves: Map<string, string>;
}

/** A group managed by update-alternatives, e.g. `awk`: /usr/bin/awk -> /etc/alternatives/awk -> mawk or gawk. */
export interface AlternativesGroup {
  link: string;
  slaveLinks: string[];
  choices: Alternative[];
}

/**
 * Parses one file of dpkg's alternatives database (the format update-alternatives(1) writes: mode,
 * master link, slave name/link pairs up to a blank line, then per choice its path, priority and one line
 * per slave, up to a blank line).
 */
export function parseAlternatives(text: string): AlternativesGroup {
  const lines = text.split('\n');
  let i = 1;
  const link = lines[i++];
  const slaveLinks: string[] = [];
  while (i < lines.length && lines[i] !== '') {
    slaveLinks.push(lines[i + 1]);
    i += 2;
  }
  i++;
  const choices: Alternative[] = [];
  while (i < lines.length && lines[i] !== '') {
    const choice: Alternative = {
      path: lines[i],
      priority: Number(lines[i + 1]),
      slaves: new Map(),
    };
    i += 2;
    for (const s of slaveLinks) choice.slaves.set(s, lines[i++] ?? '');
    choices.push(choice);
  }
  return { link, slaveLinks, choices };
}

/** Every alternatives group of the host. */
export async function hostAlternatives(): Promise<AlternativesGroup[]> {
  const names = await fs.readdir(ADMIN_DIR).catch(() => [] as string[]);
  const groups = await Promise.all(
    names.map(n =>
      fs
        .readFile(path.join(ADMIN_DIR, n), 'utf8')
        .then(parseAlternatives, () => undefined),
    ),
  );
  return groups.filter((g): g is AlternativesGroup => g !== undefined);
}
