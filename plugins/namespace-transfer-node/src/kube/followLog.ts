import { StringDecoder } from 'node:string_decoder';
import { Writable, type Readable } from 'node:stream';
import { Log, type KubeConfig } from '@kubernetes/client-node';
import { sleep } from './poll';

export interface FollowLogOptions {
  namespace: string;
  pod: string;
  container: string;
  /** stops following (the caller reads the rest with one plain read once the container has ended) */
  signal: AbortSignal;
  /** first wait between attempts while the container has not started or after the stream broke */
  retryMs?: number;
  /** the longest wait: attempts that bring nothing (the API server away) back off up to it */
  maxRetryMs?: number;
}

/**
 * Follows a container's log (`pods/log?follow=true`) and hands each new piece of text to `onText`, in
 * order, exactly once. Reading the whole log again every second would cost the API server and the kubelet
 * the square of a long sync's output; a follow stream sends each byte once. A stream that ends or breaks
 * early is opened again from the start and the text already handed on is skipped (a log only grows).
 * Attempts that bring nothing (the container not started yet, an API server that is away for a minute)
 * wait longer each time, so an outage is not met with a request a second from every sync.
 * Returns when `signal` aborts; `delivered()` says how much text was handed on, so a final plain read can
 * continue from there.
 */
export function followLog(
  kc: KubeConfig,
  o: FollowLogOptions,
  onText: (text: string) => void,
): { done: Promise<void>; delivered: () => number } {
  let delivered = 0;
  const retryMs = o.retryMs ?? 1000;
  const maxRetryMs = Math.max(retryMs, o.maxRetryMs ?? 5_000);
  const once = () =>
    new Promise<void>(resolve => {
      const decoder = new StringDecoder('utf8');
      // a stream opened again repeats what earlier ones delivered; what this one delivers is new
      const repeated = delivered;
      let skipped = 0;
      let over = false;
      const take = (text: string) => {
        if (over) return;
        const skip = Math.min(text.length, repeated - skipped);
        skipped += skip;
        const rest = text.slice(skip);
        if (rest) {
          delivered += rest.length;
          onText(rest);
        }
      };
      let controller: AbortController | undefined;
      const end = () => {
        if (over) return;
        over = true;
        o.signal.removeEventListener('abort', end);
        controller?.abort();
        resolve();
      };
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          take(decoder.write(chunk));
          cb();
        },
        final(cb) {
          take(decoder.end());
          cb();
          end();
        },
      });
      sink.on('error', end);
      // Log pipes the response body into the sink, and a pipe does not end its destination when the
      // source fails (a connection cut mid-stream): without this the follow would wait forever
      sink.on('pipe', (body: Readable) => {
        body.once('error', end);
        body.once('close', () => {
          if (!body.readableEnded) end();
        });
      });
      o.signal.addEventListener('abort', end);
      new Log(kc)
        .log(o.namespace, o.pod, o.container, sink, { follow: true })
        .then(
          c => {
            controller = c;
            if (o.signal.aborted) c.abort();
          },
          end, // e.g. 400 while the container is still being created
        );
    });
  const done = (async () => {
    for (let fruitless = 0; !o.signal.aborted;) {
      const before = delivered;
      await once();
      fruitless = delivered > before ? 0 : fruitless + 1;
      const wait = Math.min(
        maxRetryMs,
        retryMs * 2 ** Math.max(0, fruitless - 1),
      );
      await sleep(wait, o.signal).catch(() => undefined);
    }
  })();
  return { done, delivered: () => delivered };
}
