import { randomBytes } from 'node:crypto';
import { R } from './resources';
import { isNotFound, type RestClient } from './rest';
import { nowIso, type CoreEvent, type KubeObject } from './types';

export type EventType = 'Normal' | 'Warning';

interface Seen {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

/**
 * Records core/v1 Events on the objects a controller acts on, as client-go's EventRecorder: the Event
 * lives in the object's namespace ("default" for cluster-scoped objects), and a repeat of the same
 * reason and message on the same object within ten minutes bumps `count` instead of adding an Event.
 * Recording is best effort: a failure never fails the reconcile that reported it.
 */
export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly rest: RestClient,
    private readonly component: string,
    private readonly host: string,
  ) {}

  record(
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
  ): void {
    void this.write(obj, type, reason, message).catch(() => undefined);
  }

  private async write(
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const md = obj.metadata ?? {};
    const namespace = md.namespace || 'default';
    const dedupe = `${md.uid}|${reason}|${type}|${message}`;
    const now = nowIso();
    const prior = this.seen.get(dedupe);
    if (prior && Date.now() - prior.at < 600_000) {
      prior.count++;
      prior.at = Date.now();
      try {
        await this.rest.patch(R.events, prior.namespace, prior.name, {
          count: prior.count,
          lastTimestamp: now,
        });
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    const name = `${md.name}.${randomBytes(8).toString('hex')}`;
    const event: CoreEvent = {
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        namespace: md.namespace,
        name: md.name,
        uid: md.uid,
        resourceVersion: md.resourceVersion,
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.component, host: this.host },
      reportingComponent: this.component,
      reportingInstance: `${this.component}-${this.host}`,
    };
    if (this.seen.size > 5000) this.seen.clear();
    this.seen.set(dedupe, { name, namespace, count: 1, at: Date.now() });
    await this.rest.create(R.events, namespace, event);
  }
}
