import express from 'express';
import { InputError } from '@backstage/errors';
import type { z } from 'zod';

/** An issue as a person reads it: the field, unless the message names it already, then what to fix. */
function describe(issue: z.ZodIssue): string {
  const path = issue.path.join('.');
  // a message that names its field (common's do: `state must be one of …`) needs no prefix
  if (!path || issue.message.includes(String(issue.path[0])))
    return issue.message;
  return `${path}: ${issue.message}`;
}

/** Parses input with a schema of common, or throws a 400 that lists every problem. */
export function parse<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = [...new Set(result.error.issues.map(describe))];
  throw new InputError(`invalid ${what}: ${problems.join('; ')}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A transfer id from a path: the store's ids are UUIDs, anything else is a 400 before the store is asked. */
export function transferId(value: string): string {
  if (!UUID.test(value))
    throw new InputError(
      `'${value.slice(0, 80)}' is not a transfer id: ids are UUIDs, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e`,
    );
  return value;
}

/** Request bodies are small JSON documents; a larger one is refused before it is parsed. */
const BODY_LIMIT = '64kb';
const json = express.json({ limit: BODY_LIMIT });

/** The body parser's refusals in words that say what to fix. */
function bodyError(error: unknown): unknown {
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.parse.failed')
    return new InputError(
      `the body is not valid JSON (${(error as Error).message}): send a JSON object with Content-Type: application/json`,
    );
  if (type === 'entity.too.large')
    return Object.assign(
      new Error(
        `the body is larger than ${BODY_LIMIT}: a request names claims and a few options, nothing bigger`,
      ),
      { name: 'PayloadTooLargeError', statusCode: 413, expose: true },
    );
  return error;
}

/**
 * Reads a JSON body inside the route (not as router middleware), so that a malformed or oversized body of
 * a mutating route is refused inside its audit event like any other refusal.
 */
export function readJsonBody(
  req: express.Request,
  res: express.Response,
): Promise<unknown> {
  return new Promise((resolve, reject) =>
    json(req, res, error =>
      error ? reject(bodyError(error)) : resolve(req.body),
    ),
  );
}
