/** discovery.k8s.io/v1 EndpointSlice validation (pkg/apis/discovery/validation). */
import {
  type FieldError,
  duplicate,
  invalid,
  notSupported,
  required,
  tooMany,
} from '../errors';
import type { KObject } from '../registry/types';
import { validateProtocols } from './endpoints';
import { nonSpecialIP, parseIP, to4 } from './ip';
import { validateLabels } from './meta';
import { dns1123Label, dns1123Subdomain, labelValue } from './names';

export const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ZONE_HINTS = 8;

export interface SliceRules {
  /** kube-sim's own network lives on 127.0.0.0/8; a real server refuses loopback addresses */
  allowLoopback: boolean;
}

/** IsFullyQualifiedDomainName */
function fqdn(value: string, field: string): FieldError[] {
  if (!value) return [required(field)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const sub = dns1123Subdomain(name);
  if (sub.length) return [invalid(field, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2)
    return [
      invalid(
        field,
        name,
        'should be a domain with at least two segments separated by dots',
      ),
    ];
  for (const l of labels) {
    const msgs = dns1123Label(l);
    if (msgs.length) return [invalid(field, l, msgs.join(','))];
  }
  return [];
}

function validateAddress(
  value: unknown,
  addressType: string,
  field: string,
  rules: SliceRules,
): FieldError[] {
  if (addressType === 'FQDN') return fqdn(String(value ?? ''), field);
  if (addressType !== 'IPv4' && addressType !== 'IPv6') return [];
  const ip = parseIP(value);
  const family = ip && (to4(ip) ? 'IPv4' : 'IPv6');
  if (!ip || family !== addressType)
    return [invalid(field, value, `must be a valid ${addressType} address`)];
  const errs = nonSpecialIP(String(value), ip, field);
  return rules.allowLoopback
    ? errs.filter(e => !e.detail?.includes('loopback'))
    : errs;
}

function validateHints(hints: KObject, path: string): FieldError[] {
  const zones: KObject[] = hints.forZones ?? [];
  const at = `${path}.forZones`;
  if (zones.length > MAX_ZONE_HINTS)
    return [tooMany(at, zones.length, MAX_ZONE_HINTS)];
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  zones.forEach((z, i) => {
    const f = `${at}[${i}].name`;
    const zname = String(z?.name ?? '');
    if (seen.has(zname)) errs.push(duplicate(f, zname));
    seen.add(zname);
    for (const m of labelValue(zname)) errs.push(invalid(f, zname, m));
  });
  return errs;
}

function validateEndpoint(
  ep: KObject,
  addressType: string,
  path: string,
  rules: SliceRules,
): FieldError[] {
  const errs: FieldError[] = [];
  const addresses: unknown[] = ep.addresses ?? [];
  const at = `${path}.addresses`;
  if (!addresses.length)
    errs.push(required(at, 'must contain at least 1 address'));
  else if (addresses.length > MAX_ADDRESSES)
    errs.push(tooMany(at, addresses.length, MAX_ADDRESSES));
  addresses.forEach((a, i) =>
    errs.push(...validateAddress(a, addressType, `${at}[${i}]`, rules)),
  );
  if (ep.nodeName !== undefined && ep.nodeName !== null)
    for (const m of dns1123Subdomain(String(ep.nodeName)))
      errs.push(invalid(`${path}.nodeName`, ep.nodeName, m));
  const topology = ep.deprecatedTopology ?? {};
  if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS)
    errs.push(
      tooMany(
        `${path}.deprecatedTopology`,
        Object.keys(topology).length,
        MAX_TOPOLOGY_LABELS,
      ),
    );
  errs.push(...validateLabels(topology, `${path}.deprecatedTopology`));
  if (ep.hostname !== undefined && ep.hostname !== null)
    for (const m of dns1123Label(String(ep.hostname)))
      errs.push(invalid(`${path}.hostname`, ep.hostname, m));
  if (ep.hints) errs.push(...validateHints(ep.hints, `${path}.hints`));
  return errs;
}

function validatePorts(ports: KObject[]): FieldError[] {
  if (ports.length > MAX_PORTS)
    return [tooMany('ports', ports.length, MAX_PORTS)];
  const names = new Set<string>();
  return ports.flatMap((p, i) => {
    const path = `ports[${i}]`;
    const errs: FieldError[] = [];
    const pname = String(p.name ?? '');
    if (pname)
      for (const m of dns1123Label(pname))
        errs.push(invalid(`${path}.name`, pname, m));
    if (names.has(pname)) errs.push(duplicate(`${path}.name`, pname));
    names.add(pname);
    return [...errs, ...validateProtocols(p, path)];
  });
}

/** ValidateEndpointSlice: what create and update both check */
export function validateEndpointSlice(
  s: KObject,
  rules: SliceRules,
): FieldError[] {
  const endpoints: KObject[] = s.endpoints ?? [];
  const errs: FieldError[] = [];
  if (endpoints.length > MAX_ENDPOINTS)
    errs.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  else
    endpoints.forEach((ep, i) =>
      errs.push(
        ...validateEndpoint(ep ?? {}, s.addressType, `endpoints[${i}]`, rules),
      ),
    );
  return [...errs, ...validatePorts(s.ports ?? [])];
}

/** validateAddressType: create only, since the field is immutable afterwards */
export function validateAddressType(addressType: unknown): FieldError[] {
  if (!addressType) return [required('addressType')];
  if (!ADDRESS_TYPES.includes(String(addressType)))
    return [notSupported('addressType', addressType, ADDRESS_TYPES)];
  return [];
}
