import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  transferApprovePermission,
  transferAuditPermission,
  transferCancelPermission,
  transferCreatePermission,
  transferReadPermission,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { ClusterRegistry } from '../clusters';
import {
  destinationOfEntity,
  entityOwners,
  NamespaceReader,
  OwnershipService,
} from '../ownership';
import {
  TransferResource,
  transferPermissionResourceRef,
} from '../permissions';
import type { Transfer, TransferFilter } from '../store';
import { AccessConfig } from './config';
import { ACT_PERMISSION, decideAccess, PolicyAnswer } from './decide';
import type {
  AccessDecision,
  Caller,
  ClaimOwnership,
  ClaimRef,
  Destination,
  TransferAccess,
  TransferAct,
} from './types';

export interface TransferAccessOptions {
  access: AccessConfig;
  auth: AuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** where the resource type's rules are registered (adopters' modules may add rules to it) */
  permissionsRegistry: PermissionsRegistryService;
  catalog: CatalogService;
  registry: ClusterRegistry;
  /** per-cluster budget of one ownership question */
  timeoutMs: number;
  logger?: LoggerService;
}

/** TransferAccess, and the owners of a transfer as the permission rules see them (for getResources). */
export interface TransferAccessService extends TransferAccess {
  transferResource(transfer: Transfer): Promise<TransferResource>;
}

const PERMISSION: Record<
  'read' | 'approve' | 'cancel',
  ResourcePermission<'namespace-transfer'>
> = {
  read: transferReadPermission,
  approve: transferApprovePermission,
  cancel: transferCancelPermission,
};

/** Matches nothing in the store: no requester is '' and no entity is in []. */
const NOTHING: NonNullable<TransferFilter['visibleTo']> = {
  userRef: '',
  ownedEntityRefs: [],
};

/** What a caller's policy answered, asked once per request. */
interface CallerPolicy {
  decisions: Partial<Record<'read' | 'approve' | 'cancel', PolicyDecision>>;
  audit: PolicyAnswer;
}

/**
 * For a page of transfers, the claim's owners are those of the entity it was requested from: reading every
 * claim from its cluster would make a list as slow as its slowest cluster.
 */
const standInClaim = (t: Transfer, owners: string[]): ClaimOwnership =>
  t.source.entityRef
    ? { entityRef: t.source.entityRef, owners }
    : {
        owners: [],
        unowned: 'no single catalog entity claimed it when it was requested',
      };

const claimOf = (t: Transfer): ClaimRef => ({
  cluster: t.source.cluster,
  namespace: t.source.namespace,
  claim: t.source.claim,
});

/**
 * Who may do what (issue 16, DESIGN §6): standing from the catalog and namespaceTransfer.admins, read
 * now; the permission policy, asked with the caller's credentials, can only narrow it.
 */
export function createTransferAccess(
  options: TransferAccessOptions,
): TransferAccessService {
  const { access, auth, userInfo, permissions, logger } = options;
  const ownership = new OwnershipService({
    catalog: options.catalog,
    auth,
    registry: options.registry,
    timeoutMs: options.timeoutMs,
    namespaceOwnerAnnotation: access.namespaceOwnerAnnotation,
    logger,
  });
  const admins = new Set(access.admins);
  let authorizer:
    | ((d: PolicyDecision, r: TransferResource | undefined) => boolean)
    | undefined;
  const applyConditions = (d: PolicyDecision, r: TransferResource) => {
    authorizer ??= createConditionAuthorizer(
      options.permissionsRegistry.getPermissionRuleset(
        transferPermissionResourceRef,
      ),
    );
    return authorizer(d, r);
  };

  async function basicAnswer(
    caller: Caller,
    permission: typeof transferCreatePermission,
  ): Promise<PolicyAnswer> {
    const [d] = await permissions.authorize([{ permission }], {
      credentials: caller.credentials,
    });
    return d.result === AuthorizeResult.ALLOW ? 'allow' : 'deny';
  }

  async function transferResource(
    transfer: Transfer,
    claim?: ClaimOwnership,
  ): Promise<TransferResource> {
    const [sourceOwners, destinationOwners] = await Promise.all([
      claim
        ? claim.owners
        : ownership.entityOwnerRefs(transfer.source.entityRef),
      ownership.entityOwnerRefs(transfer.destination.entityRef),
    ]);
    return { transfer, sourceOwners, destinationOwners };
  }

  /** The policy's answers for a caller, asked once: the conditional ones are applied per transfer. */
  async function callerPolicy(
    caller: Caller,
    needed: Array<'read' | 'approve' | 'cancel'>,
  ): Promise<CallerPolicy> {
    const names = [...new Set(needed)];
    const [decisions, audit] = await Promise.all([
      permissions.authorizeConditional(
        names.map(n => ({ permission: PERMISSION[n] })),
        { credentials: caller.credentials },
      ),
      caller.isAdmin
        ? basicAnswer(caller, transferAuditPermission)
        : ('deny' as const),
    ]);
    return {
      decisions: Object.fromEntries(names.map((n, i) => [n, decisions[i]])),
      audit,
    };
  }

  /** The access rules on what was read: the owners now, the claim's when read, the caller's policy. */
  function decideWith(
    act: TransferAct,
    transfer: Transfer,
    caller: Caller,
    policy: CallerPolicy,
    owners: {
      sourceEntity: string[];
      destination: string[];
      claim?: ClaimOwnership;
    },
  ): AccessDecision {
    const resource: TransferResource = {
      transfer,
      sourceOwners: owners.claim ? owners.claim.owners : owners.sourceEntity,
      destinationOwners: owners.destination,
    };
    const answer = (p: 'read' | 'approve' | 'cancel'): PolicyAnswer => {
      const d = policy.decisions[p];
      return d && applyConditions(d, resource) ? 'allow' : 'deny';
    };
    return decideAccess({
      act,
      transferId: transfer.id,
      caller,
      requester: transfer.requester,
      allowSelfApproval: access.allowSelfApproval,
      source: {
        entityRef: transfer.source.entityRef,
        owners: owners.sourceEntity,
      },
      destination: {
        entityRef: transfer.destination.entityRef,
        owners: owners.destination,
      },
      claim: owners.claim,
      readPolicy: answer('read'),
      actPolicy: answer(ACT_PERMISSION[act]),
      auditPolicy: policy.audit,
    });
  }

  /** Someone not signed in as a user: nothing, and a 404 for whatever they ask of a transfer. */
  function decideUnsigned(
    act: TransferAct,
    transfer: Transfer,
    caller: Caller,
  ): AccessDecision {
    return decideWith(
      act,
      transfer,
      caller,
      { decisions: {}, audit: 'deny' },
      { sourceEntity: [], destination: [] },
    );
  }

  /** The source claim's owners now, or undefined when the claim is gone or its cluster does not answer. */
  async function claimNowIfReadable(
    transfer: Transfer,
  ): Promise<ClaimOwnership | undefined> {
    try {
      return await ownership.claimOwnership(claimOf(transfer));
    } catch (error) {
      logger?.info(
        `namespace-transfer: ownership of ${transfer.source.namespace}/${transfer.source.claim} on '${transfer.source.cluster}' not read now (${isError(error) ? error.message : String(error)}); the source entity's owners stand in`,
      );
      return undefined;
    }
  }

  async function destinationClusters(
    caller: Caller,
    entity: Entity,
    namespace: string,
    clusters: string[],
    readNamespace?: NamespaceReader,
  ): Promise<{ cluster: string; refusal?: string; missing?: boolean }[]> {
    return Promise.all(
      clusters.map(async cluster => {
        const where = await ownership.deployable(
          entity,
          cluster,
          namespace,
          readNamespace,
        );
        if (where.ok) return { cluster };
        // admins may request into any configured cluster and namespace, owner annotation or not
        if (caller.isAdmin && !where.missing) return { cluster };
        return { cluster, refusal: where.reason, missing: where.missing };
      }),
    );
  }

  /**
   * Which of the caller's parts a conditional read leaves in a list: the conditions are applied to a
   * transfer the caller requested, and to ones whose source or destination they own (owned entities
   * count on either side in the store's filter, so either passing keeps them). `may` applies the
   * conditions exactly to each transfer read; a rule that cannot judge the stand-in (an adopter's rule
   * reading other fields) leaves the part out rather than list what the policy may have meant to hide.
   */
  function visibleParts(
    caller: Caller,
    read: PolicyDecision,
  ): { requester: boolean; owned: boolean } {
    if (read.result !== AuthorizeResult.CONDITIONAL)
      return { requester: true, owned: true };
    const claims = [caller.userRef!, ...caller.ownershipRefs];
    const passes = (r: Omit<TransferResource, 'transfer'>, requester = '') => {
      try {
        return applyConditions(read, {
          ...r,
          transfer: { requester } as Transfer,
        });
      } catch {
        return false;
      }
    };
    return {
      requester: passes(
        { sourceOwners: [], destinationOwners: [] },
        caller.userRef,
      ),
      owned:
        passes({ sourceOwners: claims, destinationOwners: [] }) ||
        passes({ sourceOwners: [], destinationOwners: claims }),
    };
  }

  const service: TransferAccessService = {
    transferResource: t => transferResource(t),

    async caller(credentials: BackstageCredentials): Promise<Caller> {
      if (!auth.isPrincipal(credentials, 'user')) {
        return { credentials, ownershipRefs: [], isAdmin: false };
      }
      const info = await userInfo.getUserInfo(credentials);
      // entity refs compare case-insensitively in the catalog; the store compares them exactly, so every
      // ref the plugin stores or filters by is lowercase (the catalog's own refs come out lowercase)
      const lower = (r: string) => r.toLocaleLowerCase('en-US');
      const userRef = lower(info.userEntityRef);
      const ownershipRefs = [...new Set(info.ownershipEntityRefs.map(lower))];
      return {
        credentials,
        userRef,
        ownershipRefs,
        isAdmin: [userRef, ...ownershipRefs].some(r => admins.has(r)),
      };
    },

    claimOwnership: claim => ownership.claimOwnership(claim),

    allowSelfApproval: access.allowSelfApproval,

    async may(
      act: TransferAct,
      transfer: Transfer,
      caller: Caller,
    ): Promise<AccessDecision> {
      if (!caller.userRef) return decideUnsigned(act, transfer, caller);
      let claim: ClaimOwnership | undefined;
      if (act === 'approve' || act === 'reject') {
        // approving needs the owners of the claim now; a claim gone is nobody's to approve
        claim = await ownership
          .claimOwnership(claimOf(transfer))
          .catch(error => {
            if (!(isError(error) && error.name === NotFoundError.name))
              throw error;
            return { owners: [], unowned: error.message };
          });
      } else if (act !== 'read') {
        claim = await claimNowIfReadable(transfer);
      }
      const [policy, sourceEntity, destination] = await Promise.all([
        callerPolicy(caller, ['read', ACT_PERMISSION[act]]),
        ownership.entityOwnerRefs(transfer.source.entityRef),
        ownership.entityOwnerRefs(transfer.destination.entityRef),
      ]);
      return decideWith(act, transfer, caller, policy, {
        sourceEntity,
        destination,
        claim,
      });
    },

    async judge(caller, transfers) {
      if (!caller.userRef || transfers.length === 0)
        return (act, transfer) => decideUnsigned(act, transfer, caller);
      const [policy, owners] = await Promise.all([
        callerPolicy(caller, ['read', 'approve', 'cancel']),
        ownership.ownersOfEntities(
          transfers.flatMap(t => [t.source.entityRef, t.destination.entityRef]),
        ),
      ]);
      return (act, transfer) => {
        const sourceEntity = owners.get(transfer.source.entityRef) ?? [];
        return decideWith(act, transfer, caller, policy, {
          sourceEntity,
          destination: owners.get(transfer.destination.entityRef) ?? [],
          claim:
            act === 'approve' || act === 'reject'
              ? standInClaim(transfer, sourceEntity)
              : undefined,
        });
      };
    },

    async visibility(caller) {
      if (!caller.userRef) return NOTHING;
      const [read] = await permissions.authorizeConditional(
        [{ permission: transferReadPermission }],
        { credentials: caller.credentials },
      );
      if (read.result === AuthorizeResult.DENY) return NOTHING;
      if (
        caller.isAdmin &&
        (await basicAnswer(caller, transferAuditPermission)) === 'allow'
      ) {
        return undefined;
      }
      const part = visibleParts(caller, read);
      const owned = part.owned
        ? await ownership.ownedEntities([
            caller.userRef,
            ...caller.ownershipRefs,
          ])
        : [];
      return {
        userRef: part.requester ? caller.userRef : '',
        ownedEntityRefs: owned.map(e => stringifyEntityRef(e)),
      };
    },

    async destination(caller, entityRef, override) {
      if (!caller.userRef) {
        throw new NotAllowedError(
          'Only a signed-in user may request a transfer',
        );
      }
      try {
        parseEntityRef(entityRef);
      } catch {
        throw new InputError(
          `destination entity ${JSON.stringify(entityRef)} is not an entity ref such as component:default/payments-db`,
        );
      }
      const entity = await ownership.entity(entityRef);
      if (!entity) {
        throw new NotFoundError(`No entity ${entityRef} in the catalog`);
      }
      const owners = entityOwners(entity);
      const claims = new Set(
        [caller.userRef, ...caller.ownershipRefs].map(r =>
          r.toLocaleLowerCase('en-US'),
        ),
      );
      const owns = owners.some(o => claims.has(o.toLocaleLowerCase('en-US')));
      if (!owns && !caller.isAdmin) {
        throw new NotAllowedError(
          `You do not own ${entityRef}${owners.length ? ` (its owners: ${owners.join(', ')})` : ''}; request into an entity you own, or ask an owner or an admin (namespaceTransfer.admins)`,
        );
      }
      if ((await basicAnswer(caller, transferCreatePermission)) === 'deny') {
        throw new NotAllowedError(
          'The permission policy denies you namespace-transfer.transfer.create',
        );
      }
      const target = destinationOfEntity(entity);
      const namespace = override?.namespace ?? target.namespace;
      if (namespace !== target.namespace && !caller.isAdmin) {
        throw new NotAllowedError(
          `${entityRef} takes transfers into namespace ${target.namespace}; only an admin may name another namespace (${namespace})`,
        );
      }
      const configured = ownership.clusterNames();
      if (override?.cluster && !configured.includes(override.cluster)) {
        throw new InputError(
          `Unknown cluster '${override.cluster}'; configured: ${configured.join(', ') || 'none'}`,
        );
      }
      const candidates = await destinationClusters(
        caller,
        entity,
        namespace,
        override?.cluster ? [override.cluster] : configured,
      );
      const usable = candidates.filter(c => !c.refusal);
      if (usable.length === 1) {
        return {
          entityRef: target.entityRef,
          cluster: usable[0].cluster,
          namespace,
          labels: target.labels,
        };
      }
      if (usable.length > 1) {
        throw new InputError(
          `${entityRef}'s namespace ${namespace} is on several clusters; name the destination cluster: one of ${usable.map(c => c.cluster).join(', ')}`,
        );
      }
      const reasons = candidates.map(c => c.refusal).join('; ');
      if (candidates.some(c => !c.missing)) {
        throw new NotAllowedError(
          `${entityRef} may not take transfers there: ${reasons}`,
        );
      }
      throw new InputError(
        `${entityRef} cannot take transfers: ${reasons || 'no cluster is configured'}`,
      );
    },

    async destinations(caller): Promise<Destination[]> {
      if (!caller.userRef) return [];
      if ((await basicAnswer(caller, transferCreatePermission)) === 'deny')
        return [];
      const entities = caller.isAdmin
        ? await ownership.namespacedEntities()
        : await ownership.ownedEntities([
            caller.userRef,
            ...caller.ownershipRefs,
          ]);
      const clusters = ownership.clusterNames();
      const readNamespace = ownership.sharedNamespaceReader();
      const found = await Promise.all(
        entities.map(async entity => {
          let target;
          try {
            target = destinationOfEntity(entity);
          } catch (error) {
            if (isError(error) && error.name === InputError.name) return [];
            throw error;
          }
          const where = await destinationClusters(
            caller,
            entity,
            target.namespace,
            clusters,
            readNamespace,
          );
          return where
            .filter(c => !c.refusal)
            .map(c => ({
              entityRef: target.entityRef,
              cluster: c.cluster,
              namespace: target.namespace,
              labels: target.labels,
            }));
        }),
      );
      return found
        .flat()
        .sort(
          (a, b) =>
            order(a.entityRef, b.entityRef) || order(a.cluster, b.cluster),
        );
    },
  };
  return service;
}

/** Code-point order: the same on every machine, whatever its locale. */
function order(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
