import type { KubeConfig } from '@kubernetes/client-node';
import type { ControllerOptions } from '../../contracts';
import { EventRecorder } from './events';
import { Informer, type InformerOptions } from './informer';
import type { ResourceRef } from './resources';
import { RestClient } from './rest';
import type { KubeObject } from './types';
import { WorkQueue, type Reconcile } from './workqueue';

/** Resync period of the shared informers: a safety net that re-delivers every object now and then. */
export const DEFAULT_RESYNC_MS = 30_000;

/**
 * One informer per resource, shared by every controller that needs it (client-go's SharedInformerFactory),
 * so the cluster sees one watch per resource however many controllers read it.
 */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly rest: RestClient,
    private readonly resyncMs = DEFAULT_RESYNC_MS,
  ) {}

  get<T extends KubeObject>(
    r: ResourceRef,
    opts: InformerOptions = {},
  ): Informer<T> {
    const id = `${r.group}/${r.version}/${r.plural}?${opts.namespace ?? ''}&${opts.labelSelector ?? ''}&${opts.fieldSelector ?? ''}`;
    let inf = this.informers.get(id);
    if (!inf) {
      inf = new Informer<KubeObject>(this.kc, this.rest, r, {
        resyncMs: this.resyncMs,
        ...opts,
      });
      this.informers.set(id, inf);
      if (this.started) void inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.informers.values()].map(i => i.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map(i => i.stop()));
  }
}

export interface ControllerContext {
  kc: KubeConfig;
  rest: RestClient;
  informers: InformerFactory;
  options: ControllerOptions;
  recorder(component: string): EventRecorder;
  /** creates a work queue that is stopped with the controllers */
  queue(name: string, reconcile: Reconcile, concurrency?: number): WorkQueue;
  log(component: string, message: string): void;
}

export function createContext(
  options: ControllerOptions,
  resyncMs = DEFAULT_RESYNC_MS,
): ControllerContext & { stop(): Promise<void> } {
  const rest = new RestClient(options.kubeConfig);
  const informers = new InformerFactory(options.kubeConfig, rest, resyncMs);
  const queues: WorkQueue[] = [];
  const debug = !!process.env.KUBE_SIM_DEBUG;
  const log = (component: string, message: string) => {
    if (debug)
      process.stderr.write(
        `[${options.clusterName}/${component}] ${message}\n`,
      );
  };
  return {
    kc: options.kubeConfig,
    rest,
    informers,
    options,
    log,
    recorder: component => new EventRecorder(rest, component, options.nodeName),
    queue(name, reconcile, concurrency) {
      const q = new WorkQueue(name, reconcile, concurrency, (key, err) =>
        log(name, `${key}: ${(err as Error)?.message ?? err}`),
      );
      queues.push(q);
      return q;
    },
    async stop() {
      await Promise.all(queues.map(q => q.stop()));
      await informers.stop();
      rest.close();
    },
  };
}
