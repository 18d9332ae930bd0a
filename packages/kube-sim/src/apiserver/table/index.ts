/** Content negotiation for `as=Table` and conversion of objects, lists and watch events into Tables. */
import type { KindDescriptor, KObject } from '../registry/types';
import { printerFor } from './printers';

export const TABLE_CONTENT_TYPE =
  'application/json;as=Table;v=v1;g=meta.k8s.io';

/** Does the Accept header ask for a meta.k8s.io Table (v1 or v1beta1) before plain JSON? */
export function wantsTable(
  accept: string | undefined,
): 'v1' | 'v1beta1' | undefined {
  for (const part of (accept ?? '').split(',')) {
    const params = part.split(';').map(p => p.trim());
    if (params[0] !== 'application/json') continue;
    const kv = Object.fromEntries(
      params.slice(1).map(p => p.split('=') as [string, string]),
    );
    if (
      kv.as === 'Table' &&
      kv.g === 'meta.k8s.io' &&
      (kv.v === 'v1' || kv.v === 'v1beta1')
    )
      return kv.v;
    if (!kv.as) return undefined;
  }
  return undefined;
}

function rowObject(
  o: KObject,
  include: string | null,
  version: string,
): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: o.metadata,
  };
}

export function toTable(
  d: KindDescriptor,
  items: KObject[],
  listMeta: KObject,
  include: string | null,
  version = 'v1',
  crdColumns?: KObject[],
): KObject {
  const printer = printerFor(d.kind, d.group, crdColumns);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMeta,
    columnDefinitions: printer.columns,
    rows: items.map(o => {
      const row: KObject = { cells: printer.cells(o) };
      const obj = rowObject(o, include, version);
      if (obj) row.object = obj;
      return row;
    }),
  };
}
