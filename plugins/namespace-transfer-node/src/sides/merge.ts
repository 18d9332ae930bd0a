import type { Side } from './types';

function mergeData(
  into: Record<string, string>,
  from: Record<string, string>,
  what: string,
) {
  for (const [key, value] of Object.entries(from)) {
    // two seams may both need e.g. ca.crt; they must agree, or one would silently break the other
    if (key in into && into[key] !== value) {
      throw new Error(`conflicting ${what} key ${key} between seams`);
    }
    into[key] = value;
  }
}

/**
 * Combines the contributions of the seams (mover, transport) to one pod.
 *
 * @public
 */
export function mergeSides(...sides: Side[]): Side {
  const out: Side = { containers: [], secretData: {}, configData: {} };
  for (const side of sides) {
    for (const c of side.containers) {
      if (out.containers.some(o => o.name === c.name))
        throw new Error(`duplicate container name ${c.name}`);
      out.containers.push(c);
    }
    mergeData(out.secretData, side.secretData, 'secret');
    mergeData(out.configData, side.configData, 'config');
  }
  return out;
}
