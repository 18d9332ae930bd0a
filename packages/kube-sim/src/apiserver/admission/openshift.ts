/**
 * OpenShift's namespace-security-allocation controller gives every namespace a UID block, a supplemental
 * group block and an MCS label; pods then run with a UID from that range. Done synchronously at creation.
 */
import type { AdmissionPlugin } from '.';
import type { Store } from '../store';

const BASE = 1_000_000_000;
const BLOCK = 10_000;
export const UID_RANGE = 'openshift.io/sa.scc.uid-range';

function mcsLabel(n: number): string {
  // The controller walks the c0..c1023 category pairs; any distinct pair per namespace does.
  const a = Math.floor(n / 1023) % 1024;
  const b = (n % 1023) + 1;
  const [lo, hi] = a < b ? [a, b] : [b, a + 1];
  return `s0:c${lo},c${hi}`;
}

export function openshiftNamespaces(store: Store): AdmissionPlugin {
  return {
    admitCreate(d, obj) {
      if (d.kind !== 'Namespace' || d.group) return;
      const ann = (obj.metadata.annotations ??= {});
      if (ann[UID_RANGE]) return;
      const taken = new Set(
        store
          .list('namespaces')
          .map(ns =>
            Number(
              String(ns.metadata.annotations?.[UID_RANGE] ?? '').split('/')[0],
            ),
          ),
      );
      let n = 0;
      while (taken.has(BASE + n * BLOCK)) n++;
      const range = `${BASE + n * BLOCK}/${BLOCK}`;
      ann[UID_RANGE] = range;
      ann['openshift.io/sa.scc.supplemental-groups'] = range;
      ann['openshift.io/sa.scc.mcs'] = mcsLabel(n);
    },
  };
}
