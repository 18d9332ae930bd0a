import express from 'express';
import request from 'supertest';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { EntityVolumesResponse } from '@namespace-transfer/plugin-namespace-transfer-common';
import { createRouter } from './createRouter';
import { openApiDocument } from './openapi';

const response: EntityVolumesResponse = {
  entityRef: 'component:default/payments-db',
  selector: {
    labelSelector: 'backstage.io/kubernetes-id=payments-db',
    namespace: 'payments',
  },
  clusters: [{ cluster: 'east', volumes: [] }],
};

async function app() {
  const getEntityVolumes = jest.fn(async () => response);
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    permissions: mockServices.permissions(),
    volumes: { getEntityVolumes },
    clusterStatuses: async () => [],
  });
  return {
    server: express().use(router).use(mockErrorHandler()),
    getEntityVolumes,
  };
}

/** The paths the express router serves, in OpenAPI notation (`:kind` → `{kind}`). */
function servedPaths(router: express.Router): string[] {
  return (router.stack as any[])
    .filter(layer => layer.route)
    .map(layer => String(layer.route.path).replace(/:(\w+)/g, '{$1}'));
}

describe('createRouter', () => {
  it("passes the caller's credentials and the reference to the volumes service", async () => {
    const { server, getEntityVolumes } = await app();
    const res = await request(server).get(
      '/entities/component/default/payments-db/volumes',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(response);
    expect(getEntityVolumes).toHaveBeenCalledWith(
      'component:default/payments-db',
      mockCredentials.user(),
    );
  });

  it('describes every route it serves in the OpenAPI document, and nothing more', async () => {
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      volumes: { getEntityVolumes: jest.fn() },
      clusterStatuses: async () => [],
    });
    expect(servedPaths(router).sort()).toEqual(
      Object.keys(openApiDocument.paths).sort(),
    );
    const { server } = await app();
    const res = await request(server).get('/openapi.json');
    expect(res.body.openapi).toBe('3.0.3');
  });
});
