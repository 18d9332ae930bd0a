/**
 * The watch cache: a bounded history of change events per resource, and live subscribers. A watch that asks
 * for a resourceVersion older than what the history still holds gets 410 Expired, as with the real cache.
 */
import { expired } from './errors';
import type { KObject } from './registry/types';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  object: KObject;
  /** the object before the change (MODIFIED, DELETED), to tell selector transitions apart */
  old?: KObject;
  rv: number;
}

type Listener = (e: StoreEvent) => void;

class History {
  events: StoreEvent[] = [];
  /** resourceVersion of the newest event that fell out of the window (0: nothing lost yet) */
  evictedUpTo = 0;
  listeners = new Set<Listener>();
}

export class WatchHub {
  private histories = new Map<string, History>();

  constructor(private readonly capacity = 1000) {}

  private history(key: string): History {
    let h = this.histories.get(key);
    if (!h) {
      h = new History();
      this.histories.set(key, h);
    }
    return h;
  }

  publish(key: string, e: StoreEvent): void {
    const h = this.history(key);
    h.events.push(e);
    if (h.events.length > this.capacity) {
      const dropped = h.events.splice(0, h.events.length - this.capacity);
      h.evictedUpTo = dropped[dropped.length - 1].rv;
    }
    for (const l of [...h.listeners]) l(e);
  }

  /** Events newer than rv, or 410 Expired when some of them are no longer kept. */
  since(key: string, rv: number): StoreEvent[] {
    const h = this.history(key);
    if (rv < h.evictedUpTo) {
      const oldest = h.events.length ? h.events[0].rv : h.evictedUpTo + 1;
      throw expired(`too old resource version: ${rv} (${oldest - 1})`);
    }
    return h.events.filter(e => e.rv > rv);
  }

  subscribe(key: string, l: Listener): () => void {
    const h = this.history(key);
    h.listeners.add(l);
    return () => h.listeners.delete(l);
  }

  /** Forget a resource entirely (its CRD was deleted). */
  reset(key: string): void {
    const h = this.histories.get(key);
    if (h) h.events = [];
  }
}
