import {
  batchRequestSchema,
  decisionBodySchema,
  TRANSFER_STATES,
  transferRequestSchema,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  bodySchema,
  error,
  idParameter,
  json,
  listParameters,
  ref,
  tooMany,
  unauthenticated,
} from './openapiParts';

/*
 * The workflow's part of the OpenAPI document. Request bodies are generated from the same zod schemas of
 * common that the routes parse with, so the document cannot describe a body the routes would refuse.
 */

const decisionWords: Record<string, string> = {
  approve:
    'Approve a pending request (an owner of the source, or an admin; not the requester unless config allows self-approval)',
  reject: 'Reject a pending request (an owner of the source, or an admin)',
  cancel:
    'Cancel a pending, approved, staged or running transfer (running: rolled back); refused past the point of no return',
  retry: 'Retry a failed or cancelled transfer as a new attempt',
  resume: 'Resume a transfer that failed after its point of no return',
  cutover: 'Cut a staged transfer over now',
};

const decisionPaths = Object.fromEntries(
  Object.entries(decisionWords).map(([kind, summary]) => [
    `/transfers/{id}/${kind}`,
    {
      post: {
        operationId: `${kind}Transfer`,
        summary,
        parameters: [idParameter],
        requestBody: {
          required: false,
          content: {
            'application/json': { schema: bodySchema(decisionBodySchema) },
          },
        },
        responses: {
          '200': json('The transfer after the decision', ref('Transfer')),
          '400': error(
            'A malformed id or body (the message lists what to fix)',
          ),
          '401': unauthenticated,
          '403': error(
            'The caller may read the transfer but not decide this (the message says who may)',
          ),
          '404': error('No such transfer, or the caller may not read it'),
          '409': error(
            'The transfer is in a state that does not allow this (the message names the state)',
          ),
        },
      },
    },
  ]),
);

export const transferPaths = {
  '/plans': {
    post: {
      operationId: 'planTransfer',
      summary:
        'Dry run: the plan the engine would follow for one claim, refusals included; nothing is stored',
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: bodySchema(transferRequestSchema) },
        },
      },
      responses: {
        '200': json('The plan', ref('Plan')),
        '400': error('Invalid request, or an unknown cluster'),
        '401': unauthenticated,
        '403': error(
          'The caller neither owns the destination entity nor is an admin, or the policy denies create',
        ),
        '404': error('No such destination entity'),
        '429': tooMany,
        '503': error('A cluster did not answer'),
      },
    },
  },
  '/transfers': {
    post: {
      operationId: 'requestTransfer',
      summary:
        'Request the transfer of one claim; it waits for its source owners',
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: bodySchema(transferRequestSchema) },
        },
      },
      responses: {
        '201': json('The stored request', ref('Transfer')),
        '400': error(
          'Invalid request, an unknown cluster, a cutoverAt outside the maintenance windows, or a plan the engine refuses (every refusal listed; nothing stored)',
        ),
        '401': unauthenticated,
        '403': error(
          'The caller neither owns the destination entity nor is an admin, or the policy denies create',
        ),
        '404': error('No such destination entity'),
        '413': error('The body is larger than 64 KB'),
        '429': tooMany,
        '503': error('A cluster did not answer'),
      },
    },
    get: {
      operationId: 'listTransfers',
      summary:
        'The transfers the caller may read, filtered and sorted, a page at a time',
      parameters: listParameters,
      responses: {
        '200': json('A page', ref('TransferPage')),
        '400': error('An invalid filter, sort or cursor'),
        '401': unauthenticated,
      },
    },
  },
  '/batches': {
    post: {
      operationId: 'requestBatch',
      summary:
        'Request several claims of a namespace (all of them when none are named): one transfer each, each approved by its own source owners; all stored or none',
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: bodySchema(batchRequestSchema) },
        },
      },
      responses: {
        '201': json('The batch and its transfers', {
          type: 'object',
          properties: {
            batch: { type: 'object' },
            transfers: { type: 'array', items: ref('Transfer') },
          },
        }),
        '400': error(
          'Invalid request, an empty namespace, or plans the engine refuses (every refusal listed; nothing stored)',
        ),
        '401': unauthenticated,
        '403': error('The caller may not request into the destination'),
        '404': error('No such destination entity'),
        '413': error('The body is larger than 64 KB'),
        '429': tooMany,
        '503': error('A cluster did not answer'),
      },
    },
  },
  '/transfers/export.csv': {
    get: {
      operationId: 'exportTransfers',
      summary:
        'The audit export: every transfer the caller may read that matches, as CSV, streamed',
      parameters: listParameters.filter(p => p.name !== 'limit'),
      responses: {
        '200': {
          description: 'CSV with a header row',
          content: { 'text/csv': { schema: { type: 'string' } } },
        },
        '400': error('An invalid filter'),
        '401': unauthenticated,
      },
    },
  },
  '/approvals/pending': {
    get: {
      operationId: 'listPendingApprovals',
      summary:
        'Requests waiting for the caller’s approval (a page may hold fewer than limit: follow nextCursor)',
      parameters: listParameters,
      responses: {
        '200': json('A page', ref('TransferPage')),
        '400': error('An invalid filter'),
        '401': unauthenticated,
      },
    },
  },
  '/transfers/{id}': {
    get: {
      operationId: 'getTransfer',
      parameters: [idParameter],
      responses: {
        '200': json('The transfer and the decisions taken on it', {
          type: 'object',
          properties: {
            transfer: ref('Transfer'),
            decisions: { type: 'array', items: ref('Decision') },
          },
        }),
        '400': error('A malformed id'),
        '401': unauthenticated,
        '404': error('No such transfer, or the caller may not read it'),
      },
    },
  },
  '/transfers/{id}/events': {
    get: {
      operationId: 'getTransferEvents',
      summary: 'The append-only event log of a transfer, from a cursor',
      parameters: [
        idParameter,
        {
          name: 'after',
          in: 'query',
          description: 'The id of the last event already read',
          schema: { type: 'string', pattern: '^\\d{1,18}$' },
        },
        {
          name: 'limit',
          in: 'query',
          schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
        },
      ],
      responses: {
        '200': json('Events in order', {
          type: 'object',
          properties: {
            events: { type: 'array', items: ref('TransferEvent') },
          },
        }),
        '400': error('A malformed id or cursor'),
        '401': unauthenticated,
        '404': error('No such transfer, or the caller may not read it'),
      },
    },
  },
  ...decisionPaths,
  '/destinations': {
    get: {
      operationId: 'getDestinations',
      summary:
        'Where the caller may request into (their entities’ clusters and namespaces; every configured one for admins), with each cluster’s storage classes',
      responses: {
        '200': json('Destinations and clusters', {
          type: 'object',
          properties: {
            destinations: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  entityRef: { type: 'string' },
                  cluster: { type: 'string' },
                  namespace: { type: 'string' },
                  labels: {
                    type: 'object',
                    additionalProperties: { type: 'string' },
                  },
                },
              },
            },
            clusters: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  cluster: { type: 'string' },
                  storageClasses: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        name: { type: 'string' },
                        isDefault: { type: 'boolean' },
                      },
                    },
                  },
                  error: { type: 'string' },
                },
              },
            },
          },
        }),
        '401': unauthenticated,
        '429': tooMany,
      },
    },
  },
};

export const transferSchemas = {
  Plan: {
    type: 'object',
    description:
      "The engine's plan (common's Plan): mode, endpoint, identity, workloads, warnings, refusals",
    required: ['mode', 'refusals', 'allowed'],
    properties: {
      mode: { type: 'string', enum: ['copy', 'rebind'] },
      modeReason: { type: 'string' },
      warnings: { type: 'array', items: { type: 'string' } },
      refusals: {
        type: 'array',
        items: {
          type: 'object',
          properties: { code: { type: 'string' }, message: { type: 'string' } },
        },
      },
      allowed: { type: 'boolean' },
    },
  },
  Transfer: {
    type: 'object',
    required: [
      'id',
      'state',
      'source',
      'destination',
      'requester',
      'requestedVia',
      'url',
      'allowedActions',
    ],
    properties: {
      id: { type: 'string', format: 'uuid' },
      batchId: { type: 'string' },
      state: { type: 'string', enum: [...TRANSFER_STATES] },
      phase: { type: 'string' },
      source: { type: 'object' },
      destination: { type: 'object' },
      requestedMode: { type: 'string' },
      chosenMode: { type: 'string' },
      intent: { type: 'string' },
      options: { type: 'object' },
      plan: ref('Plan'),
      requester: {
        type: 'string',
        description:
          'The user entity ref of who asked; for a transfer requested through the Kubernetes API, the request object as kubernetes:<namespace>/<name>',
      },
      requestedVia: {
        type: 'string',
        enum: ['portal', 'kubernetes'],
        description:
          "Where the transfer was asked for: the portal, or a NamespaceTransferRequest that the backend's KEP controller runs (no portal decision applies to it: allowedActions is empty and the decision routes answer 409)",
      },
      kubernetesRequest: {
        type: 'object',
        description:
          'The NamespaceTransferRequest the transfer is managed through (requestedVia kubernetes only)',
        required: ['cluster', 'namespace', 'name'],
        properties: {
          cluster: { type: 'string' },
          namespace: { type: 'string' },
          name: { type: 'string' },
        },
      },
      approvedBy: { type: 'array', items: { type: 'string' } },
      cancelRequested: { type: 'boolean' },
      pastPointOfNoReturn: { type: 'boolean' },
      leftForResume: { type: 'boolean' },
      progress: { type: 'object' },
      attempt: { type: 'integer' },
      error: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      expiresAt: { type: 'string', format: 'date-time' },
      cutoverAt: { type: 'string', format: 'date-time' },
      url: { type: 'string', description: "The transfer's page in the portal" },
      comment: {
        type: 'string',
        description:
          "The requester's comment, as given with the request (a batch's, on each of its transfers)",
      },
      allowedActions: {
        type: 'array',
        description:
          'The decisions the caller may take now (ownership or admin, the permission policy, self-approval and the state machine agree); each is POST /transfers/{id}/{action}, which checks again',
        items: { type: 'string', enum: Object.keys(decisionWords) },
      },
    },
  },
  TransferPage: {
    type: 'object',
    properties: {
      items: { type: 'array', items: ref('Transfer') },
      nextCursor: { type: 'string' },
    },
  },
  Decision: {
    type: 'object',
    properties: {
      kind: { type: 'string' },
      actor: { type: 'string' },
      comment: { type: 'string' },
      ownership: { type: 'object' },
      decidedAt: { type: 'string', format: 'date-time' },
    },
  },
  TransferEvent: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      at: { type: 'string', format: 'date-time' },
      kind: {
        type: 'string',
        enum: ['state', 'phase', 'progress', 'decision', 'warning', 'error'],
      },
      payload: { type: 'object' },
    },
  },
};
