import type { V1Pod, V1PodStatus, V1Probe } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { httpStatusOf } from '../../client/errors';
import { KubeletApi } from '../api';
import { ContainerConfigError } from '../env/containerEnv';
import type { EventRecorder } from '../events';
import type { PodIPAllocator } from '../ipam';
import {
  NodeFacts,
  setupError,
  startContainer,
  startError,
} from '../runtime/container';
import type { ExitInfo } from '../runtime/process';
import { probeOnce, ProbeKind, ProbeRunner } from '../runtime/probe';
import { MountError, prepareVolumes, PreparedVolume } from '../volumes/prepare';
import { ContainerRecord } from './containerRecord';
import {
  foreignConditions,
  podConditions,
  podPhase,
  qosClass,
  withTransitionTimes,
} from './status';

export interface WorkerContext {
  node: NodeFacts;
  api: KubeletApi;
  events: EventRecorder;
  ipam: PodIPAllocator;
  dataDir: string;
}

/** How long to wait before retrying a volume or container-config problem. */
const RETRY_MS = 2000;
const MOUNT_EVENT_EVERY_MS = 30_000;

export function podLogDir(dataDir: string, pod: V1Pod): string {
  return path.join(
    dataDir,
    'logs',
    `${pod.metadata!.namespace}_${pod.metadata!.name}_${pod.metadata!.uid}`,
  );
}

/**
 * Drives one pod (one uid) on this node: volumes, init containers in order, containers with their restart
 * policy and probes, status through pods/status, and graceful termination ending in the final delete.
 * All state changes go through `sync`, which runs serialised.
 */
export class PodWorker {
  private pod: V1Pod;
  private readonly init: ContainerRecord[];
  private readonly main: ContainerRecord[];
  private podIP?: string;
  private startTime?: Date;
  private volumes?: Map<string, PreparedVolume>;
  private syncing = false;
  private dirty = false;
  private timer?: NodeJS.Timeout;
  private timerAt = 0;
  private lastStatus?: V1PodStatus;
  private lastStatusJson = '';
  /** the pod reached Succeeded/Failed: nothing runs again */
  private final = false;
  private gone = false;
  private finished = false;
  private terminating?: Promise<void>;
  private mountError?: string;
  private mountEventAt = 0;
  readonly uid: string;

  constructor(
    pod: V1Pod,
    private readonly ctx: WorkerContext,
  ) {
    this.pod = pod;
    this.uid = pod.metadata!.uid!;
    this.init = (pod.spec?.initContainers ?? []).map(
      c => new ContainerRecord(c, true),
    );
    this.main = (pod.spec?.containers ?? []).map(
      c => new ContainerRecord(c, false),
    );
    // A pod already terminal when we first see it (e.g. after a kubelet restart) is never run again.
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') this.final = true;
  }

  get namespace(): string {
    return this.pod.metadata!.namespace!;
  }

  get name(): string {
    return this.pod.metadata!.name!;
  }

  get podDir(): string {
    return path.join(this.ctx.dataDir, 'pods', this.uid);
  }

  get isFinished(): boolean {
    return this.finished;
  }

  update(pod: V1Pod): void {
    this.pod = pod;
    this.kick();
  }

  /** The pod object is gone from the API (force-deleted, or our own final delete). */
  removed(): void {
    this.gone = true;
    this.kick();
  }

  container(name: string): ContainerRecord | undefined {
    return [...this.init, ...this.main].find(r => r.name === name);
  }

  containers(): ContainerRecord[] {
    return [...this.init, ...this.main];
  }

  /** Signals running containers (fault injection); the normal exit handling follows. */
  signal(sig: NodeJS.Signals, container?: string): void {
    for (const r of this.containers())
      if (!container || r.name === container) r.running?.proc.kill(sig);
  }

  /** Kills everything at once (kubelet shutdown). */
  async shutdown(): Promise<void> {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    const exits: Promise<unknown>[] = [];
    for (const r of this.containers()) {
      r.stopProbes();
      if (r.running) {
        r.running.proc.kill('SIGKILL');
        exits.push(r.running.proc.exited);
      }
    }
    await Promise.all(exits);
  }

  kick(): void {
    if (this.finished) return;
    if (this.syncing) {
      this.dirty = true;
      return;
    }
    this.syncing = true;
    void (async () => {
      try {
        do {
          this.dirty = false;
          try {
            await this.sync();
          } catch (e) {
            // Unexpected (API down...): try again shortly rather than losing the pod.
            this.wakeIn(RETRY_MS);
            void e;
          }
        } while (this.dirty && !this.finished);
      } finally {
        this.syncing = false;
      }
    })();
  }

  private wakeIn(ms: number): void {
    const at = Date.now() + ms;
    if (this.timer && this.timerAt <= at && this.timerAt > Date.now()) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, ms);
  }

  private async sync(): Promise<void> {
    if (this.finished) return;
    if (this.gone || this.pod.metadata?.deletionTimestamp) {
      this.terminating ??= this.terminate();
      await this.terminating;
      return;
    }
    if (this.final) return;
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    this.podIP ??= this.pod.spec?.hostNetwork
      ? this.ctx.node.hostIP
      : this.ctx.ipam.allocate(this.uid);
    this.startTime ??= this.pod.status?.startTime
      ? new Date(this.pod.status.startTime)
      : new Date();

    if (!this.volumes) {
      try {
        this.volumes = await prepareVolumes({
          pod: this.pod,
          podDir: this.podDir,
          podIP: this.podIP,
          hostIP: this.ctx.node.hostIP,
          src: this.ctx.api,
        });
      } catch (e) {
        if (!(e instanceof MountError)) throw e;
        // Retried every RETRY_MS, but reported like the kubelet: again only when it changes or now and then.
        if (
          e.message !== this.mountError ||
          Date.now() - this.mountEventAt > MOUNT_EVENT_EVERY_MS
        ) {
          this.mountError = e.message;
          this.mountEventAt = Date.now();
          this.ctx.events.record(this.pod, 'Warning', 'FailedMount', e.message);
        }
        await this.pushStatus();
        this.wakeIn(RETRY_MS);
        return;
      }
    }

    let initDone = true;
    for (const r of this.init) {
      if (r.succeeded) continue;
      initDone = false;
      if (!r.running && !r.starting) {
        const exit = r.terminated?.exitCode;
        if (exit === undefined || policy !== 'Never')
          await this.ensureStarted(r, exit !== undefined);
      }
      break;
    }
    if (initDone) {
      for (const r of this.main) {
        if (r.running || r.starting) continue;
        const exit = r.terminated?.exitCode;
        if (exit === undefined) await this.ensureStarted(r, false);
        else if (policy === 'Always' || (policy === 'OnFailure' && exit !== 0))
          await this.ensureStarted(r, true);
      }
    }
    // final only once the API server has the terminal status, as the kubelet's status manager keeps
    // trying until it does: the pod's end would otherwise never be known after an outage
    const status = await this.pushStatus();
    if (status && (status.phase === 'Succeeded' || status.phase === 'Failed')) {
      this.final = true;
      for (const r of this.containers()) r.stopProbes();
    }
  }

  /** Starts a container now, or records why it has to wait (back-off, config error). */
  private async ensureStarted(
    r: ContainerRecord,
    isRestart: boolean,
  ): Promise<void> {
    const now = Date.now();
    if (isRestart && r.terminated) {
      const ran =
        r.terminated.finishedAt && r.terminated.startedAt
          ? new Date(r.terminated.finishedAt).getTime() -
            new Date(r.terminated.startedAt).getTime()
          : 0;
      const wait = r.backoff.remaining(
        new Date(r.terminated.finishedAt ?? now),
        ran,
        now,
      );
      if (wait > 0) {
        const ref = `${this.name}_${this.namespace}(${this.uid})`;
        // One event per back-off period, not one per status change seen while waiting.
        if (r.waiting?.reason !== 'CrashLoopBackOff') {
          this.ctx.events.record(
            this.pod,
            'Warning',
            'BackOff',
            `Back-off restarting failed container ${r.name} in pod ${ref}`,
            r.name,
          );
        }
        r.waiting = {
          reason: 'CrashLoopBackOff',
          message: `back-off ${r.backoff.seconds}s restarting failed container=${r.name} pod=${ref}`,
        };
        this.wakeIn(wait);
        return;
      }
    }
    if (r.retryAt > now) {
      this.wakeIn(r.retryAt - now);
      return;
    }
    await this.start(r, isRestart);
  }

  private async start(r: ContainerRecord, isRestart: boolean): Promise<void> {
    r.starting = true;
    const attempt =
      isRestart && r.terminated ? r.restartCount + 1 : r.restartCount;
    try {
      const running = await startContainer(this.ctx.node, this.ctx.api, {
        pod: this.pod,
        container: r.spec,
        podIP: this.podIP!,
        podDir: this.podDir,
        logFile: path.join(
          podLogDir(this.ctx.dataDir, this.pod),
          r.name,
          `${attempt}.log`,
        ),
        volumes: this.volumes!,
      });
      if (isRestart && r.terminated) {
        r.lastTerminated = r.terminated;
        r.restartCount = attempt;
        r.backoff.advance();
      } else if (isRestart) {
        r.backoff.advance();
      }
      r.terminated = undefined;
      r.waiting = undefined;
      r.running = running;
      r.containerID = `kube-sim://${randomBytes(32).toString('hex')}`;
      r.startedAt = running.proc.startedAt;
      r.started = !r.spec.startupProbe;
      r.ready = false;
      this.ctx.events.record(
        this.pod,
        'Normal',
        'Created',
        `Created container ${r.name}`,
        r.name,
      );
      this.ctx.events.record(
        this.pod,
        'Normal',
        'Started',
        `Started container ${r.name}`,
        r.name,
      );
      if (!r.init) this.startProbes(r);
      void running.proc.exited.then(info =>
        this.onExit(r, running.stateDir, info),
      );
    } catch (e) {
      const reason =
        e instanceof ContainerConfigError
          ? 'CreateContainerConfigError'
          : 'CreateContainerError';
      const message = (e as Error).message;
      r.waiting = { reason, message };
      r.retryAt = Date.now() + RETRY_MS;
      this.ctx.events.record(
        this.pod,
        'Warning',
        'Failed',
        `Error: ${message}`,
        r.name,
      );
      this.wakeIn(RETRY_MS);
    } finally {
      r.starting = false;
    }
  }

  private async onExit(
    r: ContainerRecord,
    stateDir: string,
    info: ExitInfo,
  ): Promise<void> {
    r.stopProbes();
    // the container counts as running until its end is recorded: a sync in between (any pod event kicks
    // one) would otherwise see neither a running nor a terminated container and start it a second time
    // (seen under load: a restartPolicy Never pod's command ran twice)
    const setup = await setupError(stateDir);
    const notStarted =
      setup && !this.terminating ? undefined : await startError(stateDir);
    r.running = undefined;
    r.ready = false;
    r.started = false;
    if (setup && !this.terminating) {
      r.waiting = { reason: 'CreateContainerError', message: setup };
      r.retryAt = Date.now() + RETRY_MS;
      this.ctx.events.record(
        this.pod,
        'Warning',
        'Failed',
        `Error: ${setup}`,
        r.name,
      );
    } else {
      // a command that is not in the image: the container never ran, and restarts as a failed one
      if (notStarted)
        this.ctx.events.record(
          this.pod,
          'Warning',
          'Failed',
          `Error: ${notStarted}`,
          r.name,
        );
      let reason = info.exitCode === 0 ? 'Completed' : 'Error';
      if (notStarted) reason = 'StartError';
      r.waiting = undefined;
      r.terminated = {
        exitCode: info.exitCode,
        reason,
        ...(notStarted ? { message: notStarted } : {}),
        startedAt: r.startedAt,
        finishedAt: info.finishedAt,
        containerID: r.containerID,
      };
    }
    this.kick();
  }

  private startProbes(r: ContainerRecord): void {
    const running = r.running!;
    const make = (
      kind: ProbeKind,
      probe: V1Probe,
      onResult: (ok: boolean) => void,
    ) =>
      new ProbeRunner(
        kind,
        probe,
        () => probeOnce(probe, this.podIP!, r.spec.ports, running.exec),
        onResult,
        msg => {
          const label = kind[0].toUpperCase() + kind.slice(1);
          this.ctx.events.record(
            this.pod,
            'Warning',
            'Unhealthy',
            `${label} probe failed: ${msg}`,
            r.name,
          );
        },
      );
    const restartOnFailure =
      (kind: ProbeKind, probe: V1Probe) => (ok: boolean) => {
        if (ok || r.running !== running) return;
        this.ctx.events.record(
          this.pod,
          'Normal',
          'Killing',
          `Container ${r.name} failed ${kind} probe, will be restarted`,
          r.name,
        );
        r.stopProbes();
        const grace =
          probe.terminationGracePeriodSeconds ??
          this.pod.spec?.terminationGracePeriodSeconds ??
          30;
        void this.stopContainer(r, grace * 1000, false);
      };
    const afterStartup = () => {
      if (r.spec.readinessProbe) {
        const p = make('readiness', r.spec.readinessProbe, ok => {
          r.ready = ok && r.running === running;
          this.kick();
        });
        r.probes.push(p);
        p.start();
      } else {
        r.ready = true;
      }
      if (r.spec.livenessProbe) {
        const p = make(
          'liveness',
          r.spec.livenessProbe,
          restartOnFailure('liveness', r.spec.livenessProbe),
        );
        r.probes.push(p);
        p.start();
      }
      this.kick();
    };
    if (r.spec.startupProbe) {
      const probe = r.spec.startupProbe;
      const p = make('startup', probe, ok => {
        if (!ok) {
          restartOnFailure('startup', probe)(false);
          return;
        }
        if (r.running !== running || r.started) return;
        r.started = true;
        p.stop();
        afterStartup();
      });
      r.probes.push(p);
      p.start();
    } else {
      afterStartup();
    }
  }

  /** SIGTERM (after an optional preStop hook), SIGKILL when the grace period is over; resolves on exit. */
  private async stopContainer(
    r: ContainerRecord,
    graceMs: number,
    runPreStop: boolean,
  ): Promise<void> {
    const running = r.running;
    if (!running) return;
    const deadline = Date.now() + graceMs;
    const preStop = r.spec.lifecycle?.preStop;
    if (runPreStop && preStop?.exec?.command && graceMs > 0) {
      const out = await running.exec(preStop.exec.command, graceMs);
      if (!out.ok) {
        this.ctx.events.record(
          this.pod,
          'Warning',
          'FailedPreStopHook',
          `PreStopHook failed: ${out.message}`,
          r.name,
        );
      }
    }
    running.proc.kill(graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
    const left = Math.max(0, deadline - Date.now());
    const killer = setTimeout(() => running.proc.kill('SIGKILL'), left);
    await running.proc.exited;
    clearTimeout(killer);
  }

  private async terminate(): Promise<void> {
    const graceSec = this.gone
      ? 0
      : (this.pod.metadata?.deletionGracePeriodSeconds ??
        this.pod.spec?.terminationGracePeriodSeconds ??
        30);
    const stops: Promise<void>[] = [];
    for (const r of this.containers()) {
      r.stopProbes();
      r.retryAt = Number.MAX_SAFE_INTEGER;
      if (r.running) {
        if (!this.gone)
          this.ctx.events.record(
            this.pod,
            'Normal',
            'Killing',
            `Stopping container ${r.name}`,
            r.name,
          );
        stops.push(this.stopContainer(r, graceSec * 1000, !this.gone));
      }
    }
    await Promise.all(stops);
    // onExit runs asynchronously after the process ends: wait until every record has its final state.
    while (this.containers().some(r => r.running))
      await new Promise(res => setTimeout(res, 20));
    if (!this.gone) {
      await this.pushStatus(true).catch(() => undefined);
      for (let attempt = 0; ; attempt++) {
        try {
          await this.ctx.api.deletePod(this.namespace, this.name, this.uid);
          break;
        } catch (e) {
          if (attempt >= 20) break;
          await new Promise(res => setTimeout(res, 500));
          void e;
        }
      }
    }
    await this.cleanup();
  }

  private async cleanup(): Promise<void> {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.ctx.ipam.release(this.uid);
    this.ctx.events.forget(this.uid);
    // Only kubelet-owned data: emptyDirs, projected files, root mount points, logs. PV data is not here.
    await fs
      .rm(this.podDir, { recursive: true, force: true })
      .catch(() => undefined);
    await fs
      .rm(podLogDir(this.ctx.dataDir, this.pod), {
        recursive: true,
        force: true,
      })
      .catch(() => undefined);
  }

  /**
   * Computes the status and writes it when it changed; undefined when the API server did not take it
   * (it is tried again shortly: a terminal status must not be lost to an API server that is away).
   */
  private async pushStatus(terminal = false): Promise<V1PodStatus | undefined> {
    const pod = this.pod;
    const anyInitLeft = this.init.some(r => !r.succeeded);
    const initStatuses = this.init.map(r => r.status('PodInitializing'));
    const mainStatuses = this.main.map(r =>
      r.status(anyInitLeft ? 'PodInitializing' : 'ContainerCreating'),
    );
    const phase = podPhase(pod, initStatuses, mainStatuses, terminal);
    const now = new Date();
    const conditions = [
      ...withTransitionTimes(
        podConditions(pod, phase, initStatuses, mainStatuses),
        this.lastStatus?.conditions ?? pod.status?.conditions,
        now,
      ),
      ...foreignConditions(pod),
    ];
    const hostIP = this.ctx.node.hostIP;
    const status: V1PodStatus = {
      phase,
      conditions,
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP: this.podIP,
      podIPs: this.podIP ? [{ ip: this.podIP }] : [],
      startTime: this.startTime,
      qosClass: qosClass(pod),
      containerStatuses: mainStatuses,
    };
    if (this.init.length) status.initContainerStatuses = initStatuses;
    const json = JSON.stringify(status);
    if (json === this.lastStatusJson) return status;
    try {
      await this.ctx.api.patchPodStatus(
        this.namespace,
        this.name,
        this.uid,
        status,
      );
      this.lastStatusJson = json;
      this.lastStatus = status;
    } catch (e) {
      if (httpStatusOf(e) === 404) return status;
      this.wakeIn(RETRY_MS / 2);
      return undefined;
    }
    return status;
  }
}
