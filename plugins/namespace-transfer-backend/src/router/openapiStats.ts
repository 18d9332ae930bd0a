import { TRANSFER_STATES } from '@namespace-transfer/plugin-namespace-transfer-common';
import { error, json, listParameters, unauthenticated } from './openapiParts';

/* The OpenAPI document's part for the portal's own questions: who the caller is, and the statistics. */

/** The list's filters that the state counts accept: not its paging, sort or state. */
const countFilters = listParameters.filter(
  p => !['state', 'sort', 'order', 'limit', 'cursor'].includes(p.name),
);

const timeRange = ['from', 'to'].map(name => ({
  name,
  in: 'query',
  required: true,
  description:
    name === 'from'
      ? 'Start of the range (included)'
      : 'End of the range (excluded)',
  schema: { type: 'string', format: 'date-time' },
}));

const day = { type: 'string', example: '2026-12-01', description: 'UTC' };

const cutoverWindow = {
  type: 'object',
  required: ['days', 'start', 'end', 'timeZone'],
  properties: {
    days: {
      type: 'array',
      items: {
        type: 'string',
        enum: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
      },
    },
    start: { type: 'string', pattern: '^\\d{2}:\\d{2}$', example: '22:00' },
    end: {
      type: 'string',
      pattern: '^\\d{2}:\\d{2}$',
      description: 'At or before the start: the window ends the next day',
    },
    timeZone: { type: 'string', example: 'Europe/Berlin' },
  },
};

export const statsPaths = {
  '/me': {
    get: {
      operationId: 'getCallerProfile',
      summary:
        'What the signed-in user may do in the plugin (the API still checks every action)',
      responses: {
        '200': json('The caller', {
          type: 'object',
          required: [
            'userEntityRef',
            'isAdmin',
            'canAudit',
            'allowSelfApproval',
            'requiredApprovals',
            'cutoverWindows',
          ],
          properties: {
            userEntityRef: { type: 'string', example: 'user:default/alice' },
            isAdmin: {
              type: 'boolean',
              description:
                'Named in namespaceTransfer.admins, directly or through a group',
            },
            canAudit: {
              type: 'boolean',
              description:
                'Reads every transfer, the audit export and the portal-wide statistics (the audit permission, admins only)',
            },
            allowSelfApproval: {
              type: 'boolean',
              description: 'namespaceTransfer.approvals.allowSelfApproval',
            },
            requiredApprovals: {
              type: 'integer',
              minimum: 1,
              description: 'namespaceTransfer.approvals.required',
            },
            cutoverWindows: {
              type: 'array',
              description:
                'namespaceTransfer.maintenanceWindows; empty: staged transfers cut over at any time',
              items: cutoverWindow,
            },
          },
        }),
        '401': unauthenticated,
        '403': error('Not a user (a service)'),
      },
    },
  },
  '/stats/states': {
    get: {
      operationId: 'getCountsByState',
      summary:
        'Transfers per state, of those the caller may read that match the filters (the list’s, without paging, sort or state)',
      parameters: countFilters,
      responses: {
        '200': json('Counts', {
          type: 'object',
          required: ['counts'],
          properties: {
            counts: {
              type: 'object',
              description: 'Every state, 0 when none',
              required: [...TRANSFER_STATES],
              additionalProperties: { type: 'integer' },
            },
          },
        }),
        '400': error('An invalid filter (the message lists what to fix)'),
        '401': unauthenticated,
      },
    },
  },
  '/stats/bytes-per-day': {
    get: {
      operationId: 'getBytesPerDay',
      summary:
        'Bytes finished attempts moved per UTC day, across the portal (audit permission)',
      parameters: timeRange,
      responses: {
        '200': json('Days', {
          type: 'object',
          properties: {
            days: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  day,
                  bytes: { type: 'integer' },
                  transfers: { type: 'integer' },
                },
              },
            },
          },
        }),
        '400': error('A missing or invalid time range'),
        '401': unauthenticated,
        '403': error('The caller lacks the audit permission'),
      },
    },
  },
  '/stats/transfers-per-day': {
    get: {
      operationId: 'getTransfersPerDay',
      summary:
        'Transfers per UTC day and state, across the portal (audit permission)',
      description:
        'Each transfer counts once, in its current state, on one UTC day: an ended transfer (succeeded, failed, cancelled, rejected, expired) on the day it ended (finishedAt; a rejection or expiry ends a request), one that has not ended (pending-approval, approved, running, staged) on the day it was requested (createdAt). A retried transfer counts on the day its latest attempt ended. Only days in [from, to) with a transfer are listed, in order; each lists only the states it has.',
      parameters: timeRange,
      responses: {
        '200': json('Days', {
          type: 'object',
          required: ['days'],
          properties: {
            days: {
              type: 'array',
              items: {
                type: 'object',
                required: ['day', 'counts'],
                properties: {
                  day,
                  counts: {
                    type: 'object',
                    propertyNames: { enum: [...TRANSFER_STATES] },
                    additionalProperties: { type: 'integer', minimum: 1 },
                  },
                },
              },
            },
          },
        }),
        '400': error('A missing or invalid time range'),
        '401': unauthenticated,
        '403': error('The caller lacks the audit permission'),
      },
    },
  },
};
