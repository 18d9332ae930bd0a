import { useCallback, useEffect, useRef, useState } from 'react';
import { coalesce } from '../lib/coalesce';

type ReadState<T> = { value?: T; loading: boolean; error?: Error };

/** What {@link useCoalescedRead} returns. */
export type UseCoalescedReadResult<T> = ReadState<T> & {
  /** read again: calls while a read is under way fold into one more read after it, and none is lost */
  reread(): void;
};

/**
 * The value of `read`, read at first, whenever one of `deps` changes and on `reread`. Meant for figures a
 * burst of signals invalidates (a batch of approvals): each open page asks at most twice per burst, and the
 * last answer shown was asked for after the last signal. The value is kept while it is read again.
 */
export function useCoalescedRead<T>(
  read: () => Promise<T>,
  deps: unknown[],
): UseCoalescedReadResult<T> {
  const [state, setState] = useState<ReadState<T>>({ loading: true });
  const latestRead = useRef(read);
  latestRead.current = read;
  const reader = useRef<() => void>();

  useEffect(
    () => {
      let stopped = false;
      const run = coalesce(async () => {
        const value = await latestRead.current();
        if (!stopped) setState({ value, loading: false });
      });
      const start = () =>
        run().catch((error: Error) => {
          if (!stopped) setState(s => ({ ...s, loading: false, error }));
        });
      reader.current = start;
      setState(s => ({ ...s, loading: true }));
      start();
      return () => {
        stopped = true;
      };
    },
    // the caller's deps stand for `read`, which is a new function on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
    deps,
  );

  const reread = useCallback(() => reader.current?.(), []);
  return { ...state, reread };
}
