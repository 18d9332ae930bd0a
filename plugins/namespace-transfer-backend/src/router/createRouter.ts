import express from 'express';
import Router from 'express-promise-router';
import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  ClusterStatus,
  EntityVolumesResponse,
  transferReadPermission,
  volumesQuerySchema,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { openApiDocument } from './openapi';

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
}

/** The HTTP API under /api/namespace-transfer. Errors are thrown as Backstage errors; the backend maps them. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, volumes } = options;
  const router = Router();
  router.use(express.json());

  async function authorize(req: express.Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You are not allowed to ${permission.name}`);
    }
    return credentials;
  }

  async function sendVolumes(
    req: express.Request,
    res: express.Response,
    query: unknown,
  ) {
    const parsed = volumesQuerySchema.safeParse(query);
    if (!parsed.success) {
      throw new InputError(parsed.error.issues.map(i => i.message).join('; '));
    }
    const credentials = await authorize(req, transferReadPermission);
    res.json(
      await volumes.getEntityVolumes(parsed.data.entityRef, credentials),
    );
  }

  router.get('/volumes', async (req, res) => {
    await sendVolumes(req, res, req.query);
  });

  router.get('/entities/:kind/:namespace/:name/volumes', async (req, res) => {
    const { kind, namespace, name } = req.params;
    await sendVolumes(req, res, { entityRef: `${kind}:${namespace}/${name}` });
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  router.get('/clusters', async (req, res) => {
    await authorize(req, transferReadPermission);
    res.json({ clusters: await options.clusterStatuses() });
  });

  return router;
}
