import type express from 'express';
import type { AuditorService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { JsonObject } from '@backstage/config';

/**
 * Runs a mutating route under an audit event that is opened before anything is checked, so that a refused
 * attempt (unauthenticated, not allowed, bad input, wrong state) is recorded as a failure like a success is.
 */
export async function audited<T>(
  auditor: AuditorService | undefined,
  req: express.Request,
  eventId: string,
  meta: JsonObject,
  act: () => Promise<T>,
  outcome: (result: T) => JsonObject = () => ({}),
): Promise<T> {
  let event;
  try {
    event = await auditor?.createEvent({
      eventId,
      request: req,
      severityLevel: 'medium',
      meta,
    });
  } catch (error) {
    // the auditor could not read who calls (a forged or expired token): the attempt is recorded all the
    // same, without the request (whose actor it cannot name), and refused with the auditor's reason
    const attempt = await auditor?.createEvent({
      eventId,
      severityLevel: 'high',
      meta: {
        ...meta,
        actor: 'unresolved',
        method: req.method,
        url: req.originalUrl,
      },
    });
    await attempt?.fail({
      error: isError(error) ? error : new Error(String(error)),
    });
    throw error;
  }
  try {
    const result = await act();
    await event?.success({ meta: outcome(result) });
    return result;
  } catch (error) {
    await event?.fail({
      error: isError(error) ? error : new Error(String(error)),
    });
    throw error;
  }
}
