/** Service validation (ValidateService / ValidateServiceUpdate). Allocation of IPs and ports is admission's job. */
import {
  type FieldError,
  duplicate,
  invalid,
  notSupported,
  required,
} from '../errors';
import type { KObject } from '../registry/types';
import { dns1123Label } from './names';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function validateService(svc: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec: KObject = svc.spec ?? {};
  if (spec.type && !TYPES.includes(spec.type))
    errs.push(notSupported('spec.type', spec.type, TYPES));
  const ports: KObject[] = Array.isArray(spec.ports) ? spec.ports : [];
  const headless = spec.clusterIP === 'None';
  if (spec.type !== 'ExternalName' && !headless && ports.length === 0)
    errs.push(required('spec.ports'));
  if (spec.type === 'ExternalName' && !spec.externalName)
    errs.push(required('spec.externalName'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(required(`${path}.name`));
    if (p.name) {
      for (const m of dns1123Label(p.name))
        errs.push(invalid(`${path}.name`, p.name, m));
      if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name));
      names.add(p.name);
    }
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)
      errs.push(
        invalid(
          `${path}.port`,
          p.port,
          'must be between 1 and 65535, inclusive',
        ),
      );
    if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol))
      errs.push(
        notSupported(`${path}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']),
      );
    if (
      typeof p.targetPort === 'number' &&
      (p.targetPort < 1 || p.targetPort > 65535)
    )
      errs.push(
        invalid(
          `${path}.targetPort`,
          p.targetPort,
          'must be between 1 and 65535, inclusive',
        ),
      );
    if (
      p.nodePort !== undefined &&
      spec.type !== 'NodePort' &&
      spec.type !== 'LoadBalancer'
    )
      errs.push({
        type: 'FieldValueForbidden',
        field: `${path}.nodePort`,
        detail: "may not be used when `type` is 'ClusterIP'",
      });
  });
  if (spec.clusterIP && spec.clusterIP !== 'None' && !IPV4.test(spec.clusterIP))
    errs.push(
      invalid(
        'spec.clusterIPs[0]',
        spec.clusterIP,
        'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ),
    );
  if (
    spec.sessionAffinity &&
    !['ClientIP', 'None'].includes(spec.sessionAffinity)
  )
    errs.push(
      notSupported('spec.sessionAffinity', spec.sessionAffinity, [
        'ClientIP',
        'None',
      ]),
    );
  for (const [k, v] of Object.entries(spec.selector ?? {})) {
    if (typeof v !== 'string')
      errs.push(invalid('spec.selector', v, `value of ${k} must be a string`));
  }
  return errs;
}

export function validateServiceUpdate(
  svc: KObject,
  old: KObject,
): FieldError[] {
  const errs = validateService(svc);
  const oldIP = old.spec?.clusterIP;
  const newIP = svc.spec?.clusterIP;
  // Changing to or from ExternalName releases/allocates the IP; anything else keeps it.
  const toOrFromExternal =
    old.spec?.type === 'ExternalName' || svc.spec?.type === 'ExternalName';
  if (!toOrFromExternal && oldIP && newIP !== oldIP)
    errs.push(
      invalid('spec.clusterIPs[0]', newIP ?? '', 'may not change once set'),
    );
  return errs;
}
