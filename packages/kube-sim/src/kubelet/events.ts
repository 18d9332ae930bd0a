import {
  CoreV1Api,
  CoreV1Event,
  PatchStrategy,
  setHeaderOptions,
  V1Pod,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';

interface Seen {
  name: string;
  namespace: string;
  count: number;
}

/**
 * Records core/v1 Events for pods as the kubelet's recorder does: one Event per (object, reason, message),
 * later occurrences bump count and lastTimestamp instead of creating another object.
 */
export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly core: CoreV1Api,
    private readonly nodeName: string,
  ) {}

  record(
    pod: V1Pod,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    container?: string,
  ): void {
    void this.emit(pod, type, reason, message, container).catch(
      () => undefined,
    );
  }

  private async emit(
    pod: V1Pod,
    type: string,
    reason: string,
    message: string,
    container?: string,
  ): Promise<void> {
    const namespace = pod.metadata!.namespace!;
    const fieldPath = container ? this.fieldPath(pod, container) : undefined;
    const key = [pod.metadata!.uid, fieldPath, type, reason, message].join(
      '\u0000',
    );
    const now = new Date();
    const prev = this.seen.get(key);
    if (prev) {
      prev.count++;
      try {
        await this.core.patchNamespacedEvent(
          {
            namespace,
            name: prev.name,
            body: { count: prev.count, lastTimestamp: now } as CoreV1Event,
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
        return;
      } catch {
        // the Event expired or was removed: create it again below
      }
    }
    const name = `${pod.metadata!.name}.${(BigInt(now.getTime()) * 1000000n).toString(16)}${randomBytes(2).toString('hex')}`;
    const ev: CoreV1Event = {
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: pod.metadata!.name,
        namespace,
        uid: pod.metadata!.uid,
        resourceVersion: pod.metadata!.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: 'kubelet', host: this.nodeName },
      reportingComponent: 'kubelet',
      reportingInstance: this.nodeName,
    };
    await this.core.createNamespacedEvent({ namespace, body: ev });
    this.seen.set(key, { name, namespace, count: 1 });
    if (this.seen.size > 5000)
      this.seen.delete(this.seen.keys().next().value as string);
  }

  private fieldPath(pod: V1Pod, container: string): string {
    const init = pod.spec?.initContainers?.some(c => c.name === container);
    return `${init ? 'spec.initContainers' : 'spec.containers'}{${container}}`;
  }

  /** forgets a pod's events once the pod is gone */
  forget(uid: string): void {
    for (const k of this.seen.keys())
      if (k.startsWith(`${uid}\u0000`)) this.seen.delete(k);
  }
}
