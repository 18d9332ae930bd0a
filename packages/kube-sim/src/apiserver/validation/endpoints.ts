/** core/v1 Endpoints validation (ValidateEndpoints): addresses must be routable, ports well-formed. */
import { type FieldError, invalid, notSupported, required } from '../errors';
import type { KObject } from '../registry/types';
import { nonSpecialIP, parseIP } from './ip';
import { dns1123Label, dns1123Subdomain, qualifiedName } from './names';

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const INVALID_IP =
  'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function validateAddress(a: KObject, path: string): FieldError[] {
  const ip = parseIP(a?.ip);
  if (!ip) return [invalid(`${path}.ip`, a?.ip ?? '', INVALID_IP)];
  const errs = nonSpecialIP(a.ip, ip, `${path}.ip`);
  if (a.hostname)
    for (const m of dns1123Label(String(a.hostname)))
      errs.push(invalid(`${path}.hostname`, a.hostname, m));
  if (a.nodeName !== undefined && a.nodeName !== null)
    for (const m of dns1123Subdomain(String(a.nodeName)))
      errs.push(invalid(`${path}.nodeName`, a.nodeName, m));
  return errs;
}

/** shared with EndpointSlice ports: protocol one of the three, appProtocol a qualified name */
export function validateProtocols(p: KObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!p.protocol) errs.push(required(`${path}.protocol`));
  else if (!PORT_PROTOCOLS.includes(p.protocol))
    errs.push(notSupported(`${path}.protocol`, p.protocol, PORT_PROTOCOLS));
  if (p.appProtocol !== undefined && p.appProtocol !== null)
    for (const m of qualifiedName(String(p.appProtocol)))
      errs.push(invalid(`${path}.appProtocol`, p.appProtocol, m));
  return errs;
}

function validatePort(
  p: KObject,
  needName: boolean,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (needName && !p.name) errs.push(required(`${path}.name`));
  else if (p.name)
    for (const m of dns1123Label(String(p.name)))
      errs.push(invalid(`${path}.name`, p.name, m));
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)
    errs.push(
      invalid(
        `${path}.port`,
        p.port ?? 0,
        'must be between 1 and 65535, inclusive',
      ),
    );
  return [...errs, ...validateProtocols(p, path)];
}

function validateSubset(s: KObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ready: KObject[] = s.addresses ?? [];
  const notReady: KObject[] = s.notReadyAddresses ?? [];
  if (!ready.length && !notReady.length)
    errs.push(
      required(path, 'must specify `addresses` or `notReadyAddresses`'),
    );
  ready.forEach((a, i) =>
    errs.push(...validateAddress(a, `${path}.addresses[${i}]`)),
  );
  notReady.forEach((a, i) =>
    errs.push(...validateAddress(a, `${path}.notReadyAddresses[${i}]`)),
  );
  const ports: KObject[] = s.ports ?? [];
  ports.forEach((p, i) =>
    errs.push(...validatePort(p, ports.length > 1, `${path}.ports[${i}]`)),
  );
  return errs;
}

export function validateEndpoints(e: KObject): FieldError[] {
  const subsets: KObject[] = Array.isArray(e.subsets) ? e.subsets : [];
  return subsets.flatMap((s, i) => validateSubset(s ?? {}, `subsets[${i}]`));
}
