import { statsPaths } from './openapiStats';
import { transferPaths, transferSchemas } from './openapiTransfers';

/**
 * OpenAPI description of the plugin's HTTP API, served at GET /openapi.json. The router test checks that
 * every route the router serves is described here, so the two cannot drift apart silently.
 */
const errorResponse = (description: string) => ({
  description,
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/Error' } },
  },
});

const tooManyRequests = {
  ...errorResponse(
    'The caller made more requests than namespaceTransfer.rateLimit allows; Retry-After says when to ask again',
  ),
  headers: {
    'Retry-After': {
      description: 'Seconds until the caller may ask again',
      schema: { type: 'integer' },
    },
  },
};

const volumesResponses = {
  '200': {
    description:
      "The entity's PVCs per cluster; a cluster that failed carries `error` and an empty list",
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/EntityVolumesResponse' },
      },
    },
  },
  '400': errorResponse(
    "Malformed entityRef (the message names the part and the catalog's rule it breaks), or the entity has no or broken Kubernetes annotations (the message names them and Kubernetes' rule)",
  ),
  '401': errorResponse('No or invalid Backstage credentials'),
  '403': errorResponse(
    'The permission policy denies namespace-transfer.transfer.read',
  ),
  '404': errorResponse(
    'No such entity in the catalog (or not visible to the caller)',
  ),
  '429': tooManyRequests,
  '502': errorResponse('The catalog could not be asked'),
};

export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'namespace-transfer',
    version: '1',
    description:
      'Volumes of catalog entities on the configured Kubernetes clusters, and the transfer workflow: requests, approvals, progress and audit.',
  },
  servers: [{ url: '/' }],
  paths: {
    '/volumes': {
      get: {
        operationId: 'getEntityVolumes',
        parameters: [
          {
            name: 'entityRef',
            in: 'query',
            required: true,
            schema: {
              type: 'string',
              example: 'component:default/payments-db',
            },
          },
        ],
        responses: volumesResponses,
      },
    },
    '/entities/{kind}/{namespace}/{name}/volumes': {
      get: {
        operationId: 'getEntityVolumesByPath',
        parameters: ['kind', 'namespace', 'name'].map(name => ({
          name,
          in: 'path',
          required: true,
          schema: { type: 'string' },
        })),
        responses: volumesResponses,
      },
    },
    '/clusters': {
      get: {
        operationId: 'getClusters',
        responses: {
          '200': {
            description:
              'The configured clusters and whether they answer with the configured credentials',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/ClustersResponse' },
              },
            },
          },
          '401': errorResponse('No or invalid Backstage credentials'),
          '403': errorResponse(
            'The permission policy denies namespace-transfer.transfer.read',
          ),
          '429': tooManyRequests,
        },
      },
    },
    ...transferPaths,
    ...statsPaths,
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        responses: { '200': { description: 'This document' } },
      },
    },
  },
  components: {
    schemas: {
      ...transferSchemas,
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['name', 'message'],
            properties: {
              name: { type: 'string' },
              message: { type: 'string' },
            },
          },
          response: {
            type: 'object',
            properties: { statusCode: { type: 'integer' } },
          },
        },
      },
      ClusterError: {
        type: 'object',
        required: ['reason', 'message'],
        properties: {
          reason: {
            type: 'string',
            enum: [
              'unreachable',
              'unauthorized',
              'forbidden',
              'timeout',
              'tls',
              'error',
            ],
          },
          message: { type: 'string' },
          statusCode: { type: 'integer' },
        },
      },
      Volume: {
        type: 'object',
        required: [
          'cluster',
          'namespace',
          'name',
          'phase',
          'accessModes',
          'usedBy',
          'transferable',
        ],
        properties: {
          cluster: { type: 'string' },
          namespace: { type: 'string' },
          name: { type: 'string' },
          uid: { type: 'string' },
          capacity: { type: 'string', example: '1Gi' },
          requested: { type: 'string' },
          storageClass: { type: 'string' },
          phase: {
            type: 'string',
            enum: ['Pending', 'Bound', 'Lost', 'Terminating'],
          },
          accessModes: { type: 'array', items: { type: 'string' } },
          volumeMode: { type: 'string' },
          volumeName: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          usedBy: {
            type: 'object',
            properties: {
              pods: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    phase: { type: 'string' },
                    nodeName: { type: 'string' },
                  },
                },
              },
              workloads: {
                type: 'array',
                description:
                  'The controllers a transfer stops, then those it cannot stop (also in unstoppable)',
                items: {
                  type: 'object',
                  properties: {
                    apiVersion: { type: 'string' },
                    kind: { type: 'string' },
                    name: { type: 'string' },
                    replicas: { type: 'integer' },
                    quiescedBy: {
                      type: 'string',
                      description:
                        'The transfer that scaled it down and still holds it',
                    },
                    quiescedAt: {
                      type: 'string',
                      format: 'date-time',
                      description: 'When that transfer stopped it',
                    },
                  },
                },
              },
              unstoppable: {
                type: 'array',
                description:
                  'Users a transfer cannot stop (a bare pod, a running Job, a controller owned by an operator)',
                items: {
                  type: 'object',
                  properties: {
                    kind: { type: 'string' },
                    name: { type: 'string' },
                    reason: { type: 'string' },
                  },
                },
              },
            },
          },
          transferable: {
            type: 'object',
            properties: {
              transferable: { type: 'boolean' },
              source: {
                type: 'string',
                enum: ['pvc-annotation', 'namespace-annotation', 'default'],
              },
              reason: { type: 'string' },
            },
          },
          transferredTo: {
            type: 'object',
            description:
              'Set on a source claim a finished move left behind: where its data went',
            required: ['destination', 'transferId'],
            properties: {
              destination: {
                type: 'string',
                description:
                  'cluster/namespace/name of the claim that holds the data now',
                example: 'west/payments/payments-db-data',
              },
              transferId: {
                type: 'string',
                description: 'The transfer that moved it',
              },
            },
          },
        },
      },
      EntityVolumesResponse: {
        type: 'object',
        required: ['entityRef', 'selector', 'clusters'],
        properties: {
          entityRef: { type: 'string' },
          selector: {
            type: 'object',
            properties: {
              labelSelector: { type: 'string' },
              namespace: { type: 'string' },
            },
          },
          clusters: {
            type: 'array',
            items: {
              type: 'object',
              required: ['cluster', 'volumes'],
              properties: {
                cluster: { type: 'string' },
                volumes: {
                  type: 'array',
                  items: { $ref: '#/components/schemas/Volume' },
                },
                error: { $ref: '#/components/schemas/ClusterError' },
              },
            },
          },
        },
      },
      ClustersResponse: {
        type: 'object',
        properties: {
          clusters: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'url', 'reachable', 'skipTLSVerify'],
              properties: {
                name: { type: 'string' },
                url: { type: 'string' },
                reachable: { type: 'boolean' },
                version: { type: 'string' },
                openshift: { type: 'boolean' },
                skipTLSVerify: { type: 'boolean' },
                error: { $ref: '#/components/schemas/ClusterError' },
              },
            },
          },
        },
      },
    },
  },
} as const;
