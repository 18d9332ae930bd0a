/** coordination.k8s.io/v1 Lease: what leader election and node heartbeats hold (pkg/apis/coordination). */
import type { KindDescriptor, KObject } from './types';
import {
  type FieldError,
  forbiddenField,
  invalid,
  notSupported,
} from '../errors';
import {
  cannotDecode,
  checkInt32,
  checkString,
  normalizeMicroTime,
} from '../validation/decode';
import { qualifiedName } from '../validation/names';

/** The strategies Kubernetes itself defines; others must be `prefix/name` qualified names. */
const LEASE_STRATEGIES = ['OldestEmulationVersion'];

const KIND = { kind: 'Lease', version: 'v1' };

function decodeLeaseSpec(spec: KObject): void {
  for (const f of ['leaseDurationSeconds', 'leaseTransitions'])
    checkInt32(KIND, spec[f], `LeaseSpec.spec.${f}`);
  for (const f of ['holderIdentity', 'strategy', 'preferredHolder'])
    checkString(KIND, spec[f], `LeaseSpec.spec.${f}`);
  normalizeMicroTime(KIND, spec, 'acquireTime');
  normalizeMicroTime(KIND, spec, 'renewTime');
}

function validateStrategy(strategy: string): FieldError[] {
  const path = 'spec.strategy';
  if (!strategy.includes('/'))
    return LEASE_STRATEGIES.includes(strategy)
      ? []
      : [notSupported(path, strategy, LEASE_STRATEGIES)];
  return qualifiedName(strategy).map(m => invalid(path, strategy, m));
}

/** ValidateLeaseSpec */
function validateLease(lease: KObject): FieldError[] {
  const spec: KObject = lease.spec ?? {};
  const errs: FieldError[] = [];
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === 'number' && duration <= 0)
    errs.push(
      invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'),
    );
  const transitions = spec.leaseTransitions;
  if (typeof transitions === 'number' && transitions < 0)
    errs.push(
      invalid(
        'spec.leaseTransitions',
        transitions,
        'must be greater than or equal to 0',
      ),
    );
  if (spec.strategy) errs.push(...validateStrategy(spec.strategy));
  if (spec.preferredHolder && !spec.strategy)
    errs.push(
      forbiddenField(
        'spec.preferredHolder',
        'may only be specified if `strategy` is defined',
      ),
    );
  return errs;
}

const lease: KindDescriptor = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  defaulter: l => {
    if (l.spec === undefined || l.spec === null) return;
    if (typeof l.spec !== 'object' || Array.isArray(l.spec))
      cannotDecode(
        KIND,
        'json: cannot unmarshal into Go struct field Lease.spec of type v1.LeaseSpec',
      );
    decodeLeaseSpec(l.spec);
  },
  validate: validateLease,
  validateUpdate: validateLease,
};

export const coordinationKinds: KindDescriptor[] = [lease];
