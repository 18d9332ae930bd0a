import { retryOnConflict } from '../../client/conflict';
import { httpStatusOf } from '../../client/errors';

export interface StatusWrite<T> {
  /** the object as last seen (its resourceVersion is the precondition of the first attempt) */
  current: T;
  /** re-reads the object after a conflict */
  read(): Promise<T>;
  /** returns the object with the desired status, or undefined when it already has it */
  apply(obj: T): T | undefined;
  /** PUT to the status subresource */
  replace(obj: T): Promise<unknown>;
}

/**
 * Writes a status through the status subresource with optimistic concurrency, as controllers do: on 409
 * Conflict re-read and re-apply; a 404 means the object is gone and there is nothing to write.
 */
export async function writeStatus<T>(
  w: StatusWrite<T>,
  attempts = 5,
): Promise<void> {
  let obj: T | undefined;
  await retryOnConflict(async () => {
    obj = obj === undefined ? w.current : await w.read();
    const desired = w.apply(obj);
    if (!desired) return;
    try {
      await w.replace(desired);
    } catch (err) {
      if (httpStatusOf(err) !== 404) throw err;
    }
  }, attempts);
}
