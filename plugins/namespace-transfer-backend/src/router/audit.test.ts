import express from 'express';
import request from 'supertest';
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import { mockErrorHandler } from '@backstage/backend-test-utils';
import Router from 'express-promise-router';
import { audited } from './audit';

/** An auditor like Backstage's: it reads the caller from the request, and throws when it cannot. */
function auditorReadingTheCaller() {
  const events: Array<{
    options: AuditorServiceCreateEventOptions;
    ended?: string;
  }> = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      if (options.request?.headers.authorization === 'Bearer forged')
        throw new AuthenticationError('Could not resolve credentials');
      const e: (typeof events)[number] = { options };
      events.push(e);
      return {
        success: async () => {
          e.ended = 'success';
        },
        fail: async ({ error }) => {
          e.ended = `fail: ${error.name}`;
        },
      };
    },
  };
  return { auditor, events };
}

function app(auditor: AuditorService, act: () => Promise<unknown>) {
  const router = Router();
  router.post('/things', async (req, res) => {
    res.json(await audited(auditor, req, 'thing-made', { kind: 'x' }, act));
  });
  return express().use(router).use(mockErrorHandler());
}

describe('audited', () => {
  it('records a success and a refusal with the request', async () => {
    const { auditor, events } = auditorReadingTheCaller();
    await request(app(auditor, async () => ({ ok: true }))).post('/things');
    await request(
      app(auditor, async () => {
        throw new AuthenticationError('no');
      }),
    ).post('/things');
    expect(
      events.map(e => [e.options.eventId, e.options.meta, e.ended]),
    ).toEqual([
      ['thing-made', { kind: 'x' }, 'success'],
      ['thing-made', { kind: 'x' }, 'fail: AuthenticationError'],
    ]);
  });

  it('records an attempt whose caller the auditor cannot read, and refuses it without acting', async () => {
    const { auditor, events } = auditorReadingTheCaller();
    const act = jest.fn(async () => ({ ok: true }));
    const res = await request(app(auditor, act))
      .post('/things')
      .set('Authorization', 'Bearer forged');
    expect(res.status).toBe(401);
    expect(act).not.toHaveBeenCalled();
    expect(events).toEqual([
      {
        options: {
          eventId: 'thing-made',
          severityLevel: 'high',
          meta: {
            kind: 'x',
            actor: 'unresolved',
            method: 'POST',
            url: '/things',
          },
        },
        ended: 'fail: AuthenticationError',
      },
    ]);
  });
});
