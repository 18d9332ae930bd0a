import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { podConditions, podPhase, qosClass } from './status';

const pod = (restartPolicy: string, extra: object = {}): V1Pod =>
  ({
    metadata: { name: 'p' },
    spec: { restartPolicy, containers: [{ name: 'a' }], ...extra },
  }) as V1Pod;

const running = (name = 'a', ready = true): V1ContainerStatus =>
  ({
    name,
    ready,
    restartCount: 0,
    image: '',
    imageID: '',
    state: { running: { startedAt: new Date() } },
  }) as V1ContainerStatus;
const exited = (code: number, name = 'a'): V1ContainerStatus =>
  ({
    name,
    ready: false,
    restartCount: 0,
    image: '',
    imageID: '',
    state: { terminated: { exitCode: code } },
  }) as V1ContainerStatus;
const waiting = (
  reason: string,
  lastExit?: number,
  name = 'a',
): V1ContainerStatus =>
  ({
    name,
    ready: false,
    restartCount: 1,
    image: '',
    imageID: '',
    state: { waiting: { reason } },
    lastState:
      lastExit === undefined ? {} : { terminated: { exitCode: lastExit } },
  }) as V1ContainerStatus;

describe('podPhase', () => {
  it('is Pending while an init container runs or a container was never started', () => {
    expect(
      podPhase(
        pod('Always'),
        [running('i')],
        [waiting('PodInitializing')],
        false,
      ),
    ).toBe('Pending');
    expect(
      podPhase(pod('Always'), [], [waiting('ContainerCreating')], false),
    ).toBe('Pending');
  });
  it('is Failed when an init container fails under restartPolicy Never, Pending otherwise', () => {
    expect(
      podPhase(
        pod('Never'),
        [exited(1, 'i')],
        [waiting('PodInitializing')],
        false,
      ),
    ).toBe('Failed');
    expect(
      podPhase(
        pod('OnFailure'),
        [waiting('CrashLoopBackOff', 1, 'i')],
        [waiting('PodInitializing')],
        false,
      ),
    ).toBe('Pending');
  });
  it('follows the restart policy once containers stopped', () => {
    expect(podPhase(pod('Always'), [], [running()], false)).toBe('Running');
    expect(podPhase(pod('Always'), [], [exited(0)], false)).toBe('Running');
    expect(podPhase(pod('OnFailure'), [], [exited(0)], false)).toBe(
      'Succeeded',
    );
    expect(
      podPhase(pod('OnFailure'), [], [waiting('CrashLoopBackOff', 2)], false),
    ).toBe('Running');
    expect(podPhase(pod('Never'), [], [exited(0), exited(3, 'b')], false)).toBe(
      'Failed',
    );
    expect(podPhase(pod('Never'), [], [exited(0), running('b')], false)).toBe(
      'Running',
    );
  });
  it('ends terminal for a deleted pod whatever the restart policy', () => {
    expect(podPhase(pod('Always'), [], [exited(0)], true)).toBe('Succeeded');
    expect(podPhase(pod('Always'), [], [exited(143)], true)).toBe('Failed');
  });
});

describe('podConditions', () => {
  it('reports unready containers and incomplete init containers by name', () => {
    const c = podConditions(
      pod('Always'),
      'Pending',
      [running('i')],
      [waiting('PodInitializing')],
    );
    expect(c.find(x => x.type === 'Initialized')).toMatchObject({
      status: 'False',
      message: 'containers with incomplete status: [i]',
    });
    expect(c.find(x => x.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    });
  });
  it('is Ready when all containers are ready and readiness gates pass', () => {
    expect(
      podConditions(
        pod('Always'),
        'Running',
        [exited(0, 'i')],
        [running()],
      ).find(x => x.type === 'Ready')?.status,
    ).toBe('True');
    const gated = pod('Always', { readinessGates: [{ conditionType: 'x/y' }] });
    expect(
      podConditions(gated, 'Running', [], [running()]).find(
        x => x.type === 'Ready',
      ),
    ).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
  });
  it('marks completed pods PodCompleted', () => {
    expect(
      podConditions(pod('Never'), 'Succeeded', [], [exited(0)]).find(
        x => x.type === 'Ready',
      ),
    ).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });
});

describe('qosClass', () => {
  it('classifies', () => {
    expect(qosClass(pod('Always'))).toBe('BestEffort');
    expect(
      qosClass(
        pod('Always', {
          containers: [
            { name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } },
          ],
        }),
      ),
    ).toBe('Guaranteed');
    expect(
      qosClass(
        pod('Always', {
          containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }],
        }),
      ),
    ).toBe('Burstable');
  });
});
