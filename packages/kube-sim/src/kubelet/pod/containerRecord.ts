import type {
  V1Container,
  V1ContainerStateTerminated,
  V1ContainerStatus,
} from '@kubernetes/client-node';
import type { RunningContainer } from '../runtime/container';
import type { ProbeRunner } from '../runtime/probe';
import { RestartBackoff } from './backoff';

/** What the kubelet knows about one container of a pod across its restarts. */
export class ContainerRecord {
  restartCount = 0;
  running?: RunningContainer;
  containerID?: string;
  startedAt?: Date;
  /** the current run's end (state terminated, or lastState while waiting to restart) */
  terminated?: V1ContainerStateTerminated;
  /** the previous run's end while a newer run exists */
  lastTerminated?: V1ContainerStateTerminated;
  waiting?: { reason: string; message?: string };
  ready = false;
  started = false;
  starting = false;
  probes: ProbeRunner[] = [];
  readonly backoff = new RestartBackoff();
  /** earliest time to retry after a create error */
  retryAt = 0;

  constructor(
    readonly spec: V1Container,
    readonly init: boolean,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  stopProbes(): void {
    for (const p of this.probes) p.stop();
    this.probes = [];
  }

  /** true once this container finished successfully (init containers) */
  get succeeded(): boolean {
    return !this.running && this.terminated?.exitCode === 0;
  }

  status(defaultWaiting: string): V1ContainerStatus {
    const s: V1ContainerStatus = {
      name: this.name,
      image: this.spec.image ?? '',
      imageID: '',
      ready: this.ready,
      restartCount: this.restartCount,
      started: this.started,
      state: {},
      lastState: {},
    };
    if (this.containerID) s.containerID = this.containerID;
    if (this.running) {
      s.state = { running: { startedAt: this.startedAt } };
      if (this.lastTerminated)
        s.lastState = { terminated: this.lastTerminated };
    } else if (this.waiting) {
      s.state = { waiting: this.waiting };
      const last = this.terminated ?? this.lastTerminated;
      if (last) s.lastState = { terminated: last };
    } else if (this.terminated) {
      s.state = { terminated: this.terminated };
      if (this.lastTerminated)
        s.lastState = { terminated: this.lastTerminated };
    } else {
      s.state = { waiting: { reason: defaultWaiting } };
    }
    if (!this.running) s.started = false;
    return s;
  }
}
