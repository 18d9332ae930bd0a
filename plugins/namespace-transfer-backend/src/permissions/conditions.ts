import { createConditionExports } from '@backstage/plugin-permission-node';
import { transferPermissionResourceRef } from './resource';
import { transferPermissionRules } from './rules';

const exported = createConditionExports({
  resourceRef: transferPermissionResourceRef,
  rules: transferPermissionRules,
});

/**
 * Conditions for a permission policy that narrows who may read, approve or cancel transfers, e.g.
 * `transferConditions.isRequester({ claims: user.info.ownershipEntityRefs })`. They can only narrow: the
 * plugin grants nothing a policy allows unless catalog ownership (or namespaceTransfer.admins) does too.
 *
 * @public
 */
export const transferConditions = exported.conditions;

/**
 * Wraps conditions into a policy's conditional decision for a `namespace-transfer` resource permission.
 *
 * @public
 */
export const createTransferConditionalDecision =
  exported.createConditionalDecision;
