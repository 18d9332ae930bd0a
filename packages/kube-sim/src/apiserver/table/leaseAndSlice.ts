/** kubectl's printLease and printEndpointSlice (pkg/printers/internalversion). */
import type { KObject } from '../registry/types';
import { AGE, ageOf, col, NAME, name, type Printer } from './columns';

const SHOWN = 3;

/** listWithMoreString: the first three, then ` + N more...`; `<unset>` when empty. */
function listWithMore(all: string[]): string {
  const shown = all.slice(0, SHOWN).join(',');
  if (all.length > SHOWN) return `${shown} + ${all.length - SHOWN} more...`;
  return shown || '<unset>';
}

function slicePorts(s: KObject): string {
  return listWithMore(
    (s.ports ?? []).map((p: KObject) =>
      p.port !== undefined && p.port !== null
        ? String(p.port)
        : (p.name ?? '*'),
    ),
  );
}

function sliceAddresses(s: KObject): string {
  return listWithMore(
    (s.endpoints ?? []).flatMap((e: KObject) => e.addresses ?? []),
  );
}

export const DISCOVERY_PRINTERS: Record<string, Printer> = {
  Lease: {
    columns: [NAME, col('Holder'), AGE],
    cells: l => [name(l), l.spec?.holderIdentity ?? '', ageOf(l)],
  },
  EndpointSlice: {
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    cells: s => [
      name(s),
      s.addressType,
      slicePorts(s),
      sliceAddresses(s),
      ageOf(s),
    ],
  },
};
