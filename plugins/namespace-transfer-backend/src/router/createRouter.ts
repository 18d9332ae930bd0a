import express from 'express';
import Router from 'express-promise-router';
import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { TransferWorkflow } from '../service';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  ClusterStatus,
  EntityVolumesResponse,
  transferReadPermission,
  volumesQuerySchema,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { checkEntityRef, checkEntityRefPart } from '../entities';
import { TooManyRequestsError } from '../errors';
import { publicError } from './errors';
import { openApiDocument } from './openapi';
import { RateLimiter } from './rateLimit';
import { addTransferRoutes } from './transferRoutes';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  volumes: {
    getEntityVolumes(
      entityRef: string,
      credentials: BackstageCredentials,
    ): Promise<EntityVolumesResponse>;
  };
  clusterStatuses(): Promise<ClusterStatus[]>;
  /**
   * Limits the routes that call the clusters per caller (a user by their entity ref, a service by its
   * subject); over the limit they answer 429 with Retry-After. None: no limit.
   */
  rateLimiter?: RateLimiter;
  logger?: LoggerService;
  /** the transfer workflow's routes (requests, decisions, reads); none: only volumes and clusters */
  workflow?: TransferWorkflow;
  /** records every mutating route, refusals included */
  auditor?: AuditorService;
}

/** Who a rate limit counts: a user by their entity ref, a service by its subject. */
function callerKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef)
    return principal.userEntityRef;
  return `${principal.type}:${principal.subject ?? ''}`;
}

/**
 * The HTTP API under /api/namespace-transfer. Errors are thrown as Backstage errors and leave through
 * publicError: a name, a message and a status, nothing of their causes, no stack outside development.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, volumes, rateLimiter, logger } = options;
  const router = Router();
  function limit(credentials: BackstageCredentials, res: express.Response) {
    if (rateLimiter) {
      const decision = rateLimiter.take(callerKey(credentials));
      if (!decision.allowed) {
        res.setHeader('Retry-After', String(decision.retryAfterSeconds));
        throw new TooManyRequestsError(
          `Too many requests; try again in ${decision.retryAfterSeconds} s`,
        );
      }
    }
  }

  async function caller(req: express.Request, res: express.Response) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    limit(credentials, res);
    return credentials;
  }

  /**
   * The volume and cluster routes read no transfer: a resource permission is asked without a resource, and
   * only an outright DENY refuses (a conditional answer narrows transfers, which these routes do not show).
   */
  async function authorize(
    credentials: BackstageCredentials,
    permission: Permission,
  ) {
    const [decision] = isResourcePermission(permission)
      ? await permissions.authorizeConditional([{ permission }], {
          credentials,
        })
      : await permissions.authorize([{ permission }], { credentials });
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`You are not allowed to ${permission.name}`);
    }
  }

  async function sendVolumes(
    req: express.Request,
    res: express.Response,
    entityRef: () => unknown,
  ) {
    const credentials = await caller(req, res);
    // the catalog's own character rules first, naming the part and the rule; then the API's schema
    const parsed = volumesQuerySchema.safeParse({
      entityRef: checkEntityRef(entityRef()),
    });
    if (!parsed.success) {
      throw new InputError(parsed.error.issues.map(i => i.message).join('; '));
    }
    await authorize(credentials, transferReadPermission);
    res.json(
      await volumes.getEntityVolumes(parsed.data.entityRef, credentials),
    );
  }

  router.get('/volumes', async (req, res) => {
    await sendVolumes(req, res, () => req.query.entityRef);
  });

  router.get('/entities/:kind/:namespace/:name/volumes', async (req, res) => {
    await sendVolumes(req, res, () => {
      // each path segment on its own: an encoded slash arrives decoded and must not shift the parts
      const { kind, namespace, name } = req.params;
      checkEntityRefPart('kind', kind, 'path');
      checkEntityRefPart('namespace', namespace, 'path');
      checkEntityRefPart('name', name, 'path');
      return `${kind}:${namespace}/${name}`;
    });
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  router.get('/clusters', async (req, res) => {
    const credentials = await caller(req, res);
    await authorize(credentials, transferReadPermission);
    res.json({ clusters: await options.clusterStatuses() });
  });

  if (options.workflow)
    addTransferRoutes(router, {
      workflow: options.workflow,
      httpAuth,
      auditor: options.auditor,
      limit,
    });

  router.use(
    (
      error: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      next(publicError(error, logger));
    },
  );

  return router;
}
