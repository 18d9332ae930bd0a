import { ListWatch, V1Pod, Watch } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import type { Server } from 'node:https';
import * as path from 'node:path';
import type { Kubelet, KubeletOptions } from '../contracts';
import { KubeletApi } from './api';
import { EventRecorder } from './events';
import { ImageCatalog } from './image/contents';
import { PodIPAllocator } from './ipam';
import { LogLookup, startLogServer } from './logs/server';
import { nodeResources, KUBELET_PORT } from './node/nodeObject';
import { NodeRegistration } from './node/registration';
import { podLogDir, PodWorker, WorkerContext } from './pod/worker';

const RELIST_DELAY_MS = 1000;

/** Composes the kubelet: node registration, the pod watch feeding one worker per pod, the log endpoint. */
export class KubeletImpl implements Kubelet {
  private readonly api: KubeletApi;
  private readonly workers = new Map<string, PodWorker>();
  private readonly ipam: PodIPAllocator;
  private informer?: ListWatch<V1Pod>;
  private registration?: NodeRegistration;
  private server?: Server;
  private sweeper?: NodeJS.Timeout;
  private stopped = false;
  private ctx!: WorkerContext;

  constructor(private readonly opts: KubeletOptions) {
    this.api = new KubeletApi(opts.kubeConfig);
    this.ipam = new PodIPAllocator(opts.address.podRange);
  }

  async start(): Promise<void> {
    const dir = path.join(this.opts.dataDir, 'kubelet');
    await fs.mkdir(dir, { recursive: true });
    // Lookups that miss the hosts file go to 127.0.0.1:53 (the pod itself via the shim): never off-host.
    const resolvConf = path.join(dir, 'resolv.conf');
    await fs.writeFile(
      resolvConf,
      'nameserver 127.0.0.1\noptions ndots:1 timeout:1 attempts:1\n',
    );
    this.ctx = {
      node: {
        nodeName: this.opts.nodeName,
        hostIP: this.opts.address.nodeIP,
        hostsFile: this.opts.hostsFile,
        resolvConf,
        shimPath: this.opts.shimPath,
        allocatable: nodeResources(),
        images: await ImageCatalog.prepare(this.opts.images, dir),
      },
      api: this.api,
      events: new EventRecorder(this.api.core, this.opts.nodeName),
      ipam: this.ipam,
      dataDir: this.opts.dataDir,
    };
    const logs = await startLogServer(
      this.opts.address.nodeIP,
      KUBELET_PORT,
      this.opts.serving,
      this.opts.ca.certPem,
      (ns, pod, c) => this.lookupLogs(ns, pod, c),
    );
    this.server = logs.server;
    this.registration = new NodeRegistration(
      this.api.core,
      this.opts.nodeName,
      this.opts.address.nodeIP,
    );
    await this.registration.register();
    await this.watchPods();
    this.sweeper = setInterval(() => {
      for (const [uid, w] of this.workers)
        if (w.isFinished) this.workers.delete(uid);
    }, 1000);
  }

  private async watchPods(): Promise<void> {
    const fieldSelector = `spec.nodeName=${this.opts.nodeName}`;
    const informer = new ListWatch<V1Pod>(
      '/api/v1/pods',
      new Watch(this.opts.kubeConfig),
      () => this.api.core.listPodForAllNamespaces({ fieldSelector }),
      false,
      undefined,
      fieldSelector,
    );
    informer.on('add', pod => this.onPod(pod));
    informer.on('update', pod => this.onPod(pod));
    informer.on('delete', pod =>
      this.workers.get(pod.metadata!.uid!)?.removed(),
    );
    // The ListWatch does not retry failed lists/watches by itself.
    informer.on('error', () => {
      if (!this.stopped)
        setTimeout(
          () => !this.stopped && void informer.start().catch(() => undefined),
          RELIST_DELAY_MS,
        );
    });
    this.informer = informer;
    await informer.start();
  }

  private onPod(pod: V1Pod): void {
    if (this.stopped || pod.spec?.nodeName !== this.opts.nodeName) return;
    const uid = pod.metadata!.uid!;
    const existing = this.workers.get(uid);
    if (existing) {
      if (!existing.isFinished) existing.update(pod);
      return;
    }
    // A pod that already holds an address (kubelet restart) keeps it.
    if (pod.status?.podIP && !pod.spec?.hostNetwork)
      this.ipam.reserve(uid, pod.status.podIP);
    const worker = new PodWorker(pod, this.ctx);
    this.workers.set(uid, worker);
    // Deferred, so that every listed pod's address is reserved before any new one is allocated.
    setImmediate(() => worker.update(pod));
  }

  private findWorker(namespace: string, name: string): PodWorker | undefined {
    let found: PodWorker | undefined;
    for (const w of this.workers.values())
      if (w.namespace === namespace && w.name === name && !w.isFinished)
        found = w;
    return found;
  }

  private lookupLogs(
    namespace: string,
    name: string,
    container: string,
  ): LogLookup {
    const w = this.findWorker(namespace, name);
    if (!w) return { kind: 'no-pod' };
    const r = w.container(container);
    if (!r) return { kind: 'no-container' };
    const dir = path.join(
      podLogDir(this.opts.dataDir, {
        metadata: { namespace, name, uid: w.uid },
      }),
      container,
    );
    const file = r.containerID
      ? path.join(dir, `${r.restartCount}.log`)
      : undefined;
    const previousFile =
      r.restartCount > 0
        ? path.join(dir, `${r.restartCount - 1}.log`)
        : undefined;
    return {
      kind: 'ok',
      file,
      previousFile,
      running: f => !!r.running && f === file,
    };
  }

  async killPod(
    namespace: string,
    name: string,
    opts?: { container?: string; signal?: NodeJS.Signals },
  ): Promise<void> {
    const w = this.findWorker(namespace, name);
    if (!w)
      throw new Error(
        `pod ${namespace}/${name} is not running on node ${this.opts.nodeName}`,
      );
    if (opts?.container && !w.container(opts.container))
      throw new Error(
        `container ${opts.container} not found in pod ${namespace}/${name}`,
      );
    w.signal(opts?.signal ?? 'SIGKILL', opts?.container);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await this.informer?.stop();
    this.registration?.stop();
    await Promise.all([...this.workers.values()].map(w => w.shutdown()));
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>(r => this.server!.close(() => r()));
    }
  }
}

export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  const k = new KubeletImpl(opts);
  try {
    await k.start();
  } catch (e) {
    await k.stop();
    throw e;
  }
  return k;
}
