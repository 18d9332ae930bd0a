/** ResourceQuota and LimitRange (core/v1): the policy objects the quota and LimitRanger admission read. */
import type { KindDescriptor, KObject } from './types';
import { validateLimitRange, validateResourceQuota } from '../validation/quota';

const core = { group: '', version: 'v1' };

export const resourceQuota: KindDescriptor = {
  ...core,
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  statusSubresource: true,
  validate: validateResourceQuota,
};

/**
 * SetDefaults_LimitRangeItem: a Container item's default limit falls back to its max, its default request
 * to the default limit and then to its min.
 */
function defaultLimitItem(item: KObject): void {
  if (item.type !== 'Container') return;
  item.default ??= {};
  item.defaultRequest ??= {};
  for (const [k, v] of Object.entries(item.max ?? {})) item.default[k] ??= v;
  for (const [k, v] of Object.entries(item.default))
    item.defaultRequest[k] ??= v;
  for (const [k, v] of Object.entries(item.min ?? {}))
    item.defaultRequest[k] ??= v;
}

export const limitRange: KindDescriptor = {
  ...core,
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],
  defaulter: l => (l.spec?.limits ?? []).forEach(defaultLimitItem),
  validate: validateLimitRange,
};
