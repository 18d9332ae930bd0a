import { Config } from '@backstage/config';
import {
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/** What the access rules read from config (the keys are declared in config.d.ts). */
export interface AccessConfig {
  /** namespaceTransfer.admins, as full lowercase entity refs of users and groups */
  admins: string[];
  /** namespaceTransfer.approvals.allowSelfApproval (default false) */
  allowSelfApproval: boolean;
  /** namespaceTransfer.ownership.namespaceOwnerAnnotation */
  namespaceOwnerAnnotation?: string;
}

const ADMINS = 'namespaceTransfer.admins';
const SELF = 'namespaceTransfer.approvals.allowSelfApproval';
const OWNER_ANNOTATION = 'namespaceTransfer.ownership.namespaceOwnerAnnotation';

/**
 * Reads the access rules' config, refusing at start-up what would otherwise silently grant or withhold
 * powers: an admin entry that is not a user or group ref (a typo would make nobody an admin, a component
 * ref would make nobody one either), an owner annotation that no namespace could carry.
 */
export function readAccessConfig(config: Config): AccessConfig {
  const admins = (config.getOptionalStringArray(ADMINS) ?? []).map(
    (value, i) => {
      let ref;
      try {
        ref = parseEntityRef(value.trim(), { defaultNamespace: 'default' });
      } catch {
        ref = undefined;
      }
      const kind = ref?.kind.toLocaleLowerCase('en-US');
      if (!ref || (kind !== 'user' && kind !== 'group')) {
        throw new Error(
          `${ADMINS}[${i}] must be a user or group entity ref such as group:default/platform-team (got ${JSON.stringify(value)})`,
        );
      }
      return stringifyEntityRef(ref);
    },
  );
  const annotation = config.getOptionalString(OWNER_ANNOTATION)?.trim();
  if (
    annotation !== undefined &&
    !KubernetesValidatorFunctions.isValidAnnotationKey(annotation)
  ) {
    throw new Error(
      `${OWNER_ANNOTATION} must be a Kubernetes annotation key such as example.com/owner (got ${JSON.stringify(annotation)})`,
    );
  }
  // a boolean, not Backstage's lenient reading of strings: a 'yes' must not quietly mean something
  const self = config.getOptional(SELF) ?? false;
  if (typeof self !== 'boolean') {
    throw new Error(
      `${SELF} must be true or false (got ${JSON.stringify(self)})`,
    );
  }
  return {
    admins,
    allowSelfApproval: self,
    namespaceOwnerAnnotation: annotation || undefined,
  };
}
