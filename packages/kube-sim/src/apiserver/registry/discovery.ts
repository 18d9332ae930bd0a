/** discovery.k8s.io/v1 EndpointSlice: the endpoints of a Service as the EndpointSlice controller writes them. */
import type { KindDescriptor, KObject } from './types';
import { invalid } from '../errors';
import {
  checkBool,
  checkInt32,
  checkString,
  cannotDecode,
} from '../validation/decode';
import {
  validateAddressType,
  validateEndpointSlice,
} from '../validation/endpointslice';

const KIND = { kind: 'EndpointSlice', version: 'v1' };

function decodeList(v: unknown, goField: string): KObject[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    cannotDecode(
      KIND,
      `json: cannot unmarshal ${typeof v} into Go struct field ${goField} of type array`,
    );
  return v;
}

/** The typed fields a Go decoder would refuse, checked before defaulting */
function decodeSlice(s: KObject): void {
  checkString(KIND, s.addressType, 'EndpointSlice.addressType');
  for (const ep of decodeList(s.endpoints, 'EndpointSlice.endpoints')) {
    for (const a of decodeList(ep?.addresses, 'Endpoint.endpoints.addresses'))
      checkString(KIND, a, 'Endpoint.endpoints.addresses');
    for (const c of ['ready', 'serving', 'terminating'])
      checkBool(
        KIND,
        ep?.conditions?.[c],
        `EndpointConditions.endpoints.conditions.${c}`,
      );
    checkString(KIND, ep?.nodeName, 'Endpoint.endpoints.nodeName');
  }
  for (const p of decodeList(s.ports, 'EndpointSlice.ports')) {
    checkInt32(KIND, p?.port, 'EndpointPort.ports.port');
    checkString(KIND, p?.name, 'EndpointPort.ports.name');
  }
}

const endpointSlice: KindDescriptor = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  generation: true,
  defaulter: s => {
    decodeSlice(s);
    // SetDefaults_EndpointPort
    for (const p of s.ports ?? []) {
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },
  validate: (s, ctx) => [
    ...validateEndpointSlice(s, ctx.endpointSliceRules),
    ...validateAddressType(s.addressType),
  ],
  validateUpdate: (s, old, ctx) => {
    const errs = validateEndpointSlice(s, ctx.endpointSliceRules);
    if (s.addressType !== old.addressType)
      errs.push(invalid('addressType', s.addressType, 'field is immutable'));
    return errs;
  },
};

export const discoveryKinds: KindDescriptor[] = [endpointSlice];
