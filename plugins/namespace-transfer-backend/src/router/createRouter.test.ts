import express from 'express';
import request from 'supertest';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ResponseError } from '@backstage/errors';
import { EntityVolumesResponse } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { TransferWorkflow } from '../service';
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

async function app(
  getEntityVolumes: jest.Mock = jest.fn(async () => response),
  errorHandler = mockErrorHandler(),
) {
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    permissions: mockServices.permissions(),
    volumes: { getEntityVolumes },
    clusterStatuses: async () => [],
  });
  return {
    server: express().use(router).use(errorHandler),
    getEntityVolumes,
  };
}

/** Backstage's error handler as a backend configured to show stack traces would have it. */
const showingStacks = () =>
  MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.rootLogger(),
  }).error({ showStackTraces: true });

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
      // the workflow's routes are registered with it; none is called here
      workflow: {} as TransferWorkflow,
    });
    expect([...new Set(servedPaths(router))].sort()).toEqual(
      Object.keys(openApiDocument.paths).sort(),
    );
    const { server } = await app();
    const res = await request(server).get('/openapi.json');
    expect(res.body.openapi).toBe('3.0.3');
  });

  describe('hostile entity references', () => {
    it.each([
      [
        'NUL',
        '/volumes?entityRef=component:default/payments%00db',
        /entityRef name "payments\\u0000db" breaks the catalog's rule: a name is/,
      ],
      [
        'unicode',
        '/volumes?entityRef=component:default/p%C3%A4yments',
        /entityRef name "päyments" breaks the catalog's rule/,
      ],
      [
        '..',
        '/volumes?entityRef=component:default/..',
        /entityRef name "\.\." breaks the catalog's rule/,
      ],
      [
        '.. as namespace',
        '/volumes?entityRef=component:../payments-db',
        /entityRef namespace "\.\." breaks the catalog's rule: a namespace is/,
      ],
      [
        'an encoded slash',
        '/volumes?entityRef=component:default/a%2Fb',
        /entityRef name "a\/b" breaks the catalog's rule/,
      ],
      [
        'a double-encoded slash',
        '/volumes?entityRef=component:default/a%252Fb',
        /entityRef name "a%2Fb" breaks the catalog's rule/,
      ],
      [
        'NUL in the path',
        '/entities/component/default/payments%00db/volumes',
        /path name "payments\\u0000db" breaks the catalog's rule/,
      ],
      [
        'unicode in the path',
        '/entities/c%C3%B6mponent/default/x/volumes',
        /path kind "cömponent" breaks the catalog's rule: a kind is/,
      ],
      [
        '.. in the path',
        '/entities/component/../x/volumes',
        /path namespace "\.\." breaks the catalog's rule/,
      ],
      [
        '.. encoded in the path',
        '/entities/component/%2E%2E/x/volumes',
        /path namespace "\.\." breaks the catalog's rule/,
      ],
      [
        'an encoded slash in the path',
        '/entities/component/default/a%2Fb/volumes',
        /path name "a\/b" breaks the catalog's rule/,
      ],
      [
        'an encoded slash in the path namespace',
        '/entities/component/default%2Fx/b/volumes',
        /path namespace "default\/x" breaks/,
      ],
    ])(
      'refuses %s with a 400 naming the rule, before anything is asked',
      async (_what, url, message) => {
        const { server, getEntityVolumes } = await app();
        const res = await request(server).get(url);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(message);
        expect(getEntityVolumes).not.toHaveBeenCalled();
      },
    );
  });

  describe('errors', () => {
    it('lets nothing of an unexpected error out but a log id: no message, cause, properties or stack', async () => {
      const cause = new Error(
        'connect to http://catalog.internal:7007/api/catalog',
      );
      const failure = Object.assign(new Error('secret inner detail'), {
        cause,
        response: { url: 'http://catalog.internal:7007/api/catalog/x' },
      });
      const { server } = await app(
        jest.fn(async () => {
          throw failure;
        }),
        showingStacks(),
      );
      const res = await request(server).get(
        '/entities/component/default/payments-db/volumes',
      );
      expect(res.status).toBe(500);
      expect(res.body.error).toEqual({
        name: 'Error',
        message: expect.stringMatching(
          /^An internal error occurred \(logId=[0-9a-f]{16}\)$/,
        ),
      });
      expect(JSON.stringify(res.body)).not.toMatch(
        /catalog\.internal|secret|at /,
      );
    });

    it("answers the catalog's ResponseError by its meaning, not with its body", async () => {
      const catalogError = await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'Error', message: 'boom' },
            request: { method: 'GET', url: '/api/catalog/entities/by-name/x' },
            response: { statusCode: 500 },
          }),
          { status: 500, headers: { 'content-type': 'application/json' } },
        ),
      );
      const { server } = await app(
        jest.fn(async () => {
          throw catalogError;
        }),
        showingStacks(),
      );
      const res = await request(server).get(
        '/entities/component/default/payments-db/volumes',
      );
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toMatch(/by-name|boom/);
    });

    it('keeps the name, own message and status of the errors it means, without their cause or stack outside development', async () => {
      const { NotFoundError } = jest.requireActual('@backstage/errors');
      const { server } = await app(
        jest.fn(async () => {
          throw new NotFoundError(
            'No entity component:default/x in the catalog',
            new Error('inner /api/catalog'),
          );
        }),
        showingStacks(),
      );
      const res = await request(server).get(
        '/entities/component/default/x/volumes',
      );
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({
        name: 'NotFoundError',
        message: 'No entity component:default/x in the catalog',
      });
    });

    it('shows the stack in development', async () => {
      const env = process.env.NODE_ENV;
      process.env.NODE_ENV = 'development';
      try {
        const { server } = await app(
          jest.fn(async () => {
            throw new Error('boom');
          }),
          showingStacks(),
        );
        const res = await request(server).get(
          '/entities/component/default/x/volumes',
        );
        expect(res.status).toBe(500);
        expect(res.body.error.stack).toMatch(/Error: boom/);
      } finally {
        process.env.NODE_ENV = env;
      }
    });
  });

  it('answers 429 with Retry-After past the rate limit of the caller', async () => {
    const { RateLimiter } = jest.requireActual('./rateLimit');
    const getEntityVolumes = jest.fn(async () => response);
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      volumes: { getEntityVolumes },
      clusterStatuses: async () => [],
      rateLimiter: new RateLimiter({ burst: 2, perMinute: 6 }),
    });
    const server = express().use(router).use(mockErrorHandler());
    const responses = [];
    for (const url of [
      '/volumes?entityRef=component:default/payments-db',
      '/clusters',
      '/entities/component/default/payments-db/volumes',
    ]) {
      responses.push(await request(server).get(url));
    }
    expect(responses.map(r => r.status)).toEqual([200, 200, 429]);
    expect(responses[2].headers['retry-after']).toBe('10');
    expect(responses[2].body.error).toEqual({
      name: 'TooManyRequestsError',
      message: 'Too many requests; try again in 10 s',
    });
    // another user has their own budget
    const bob = await request(server)
      .get('/clusters')
      .set('authorization', mockCredentials.user.header('user:default/bob'));
    expect(bob.status).toBe(200);
  });
});
