import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { podStartTrouble } from './podTrouble';

const pod = (...statuses: Array<Partial<V1ContainerStatus>>): V1Pod => ({
  status: {
    containerStatuses: statuses.map((s, i) => ({
      name: `c${i}`,
      image: 'x',
      imageID: '',
      ready: false,
      restartCount: 0,
      ...s,
    })),
  },
});

describe('podStartTrouble', () => {
  it('names containers that will not start, with the cluster’s words', () => {
    expect(
      podStartTrouble(
        pod(
          { state: { running: {} } },
          {
            state: {
              waiting: {
                reason: 'ImagePullBackOff',
                message: 'Back-off pulling image "nope"',
              },
            },
          },
        ),
      ),
    ).toBe('container c1: ImagePullBackOff: Back-off pulling image "nope"');
    expect(
      podStartTrouble(
        pod({
          restartCount: 1,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: {
            terminated: {
              exitCode: 128,
              reason: 'StartError',
              message: 'exec: "stunnel": executable file not found in $PATH',
            },
          },
        }),
      ),
    ).toBe(
      'container c0: StartError: exec: "stunnel": executable file not found in $PATH',
    );
    expect(
      podStartTrouble(
        pod({
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        }),
      ),
    ).toBe(
      'container c0: keeps crashing after 3 restarts, last exit code 1 (Error)',
    );
  });

  it('waits out what may still pass: a first failed pull, one crash, a container creating', () => {
    expect(
      podStartTrouble(
        pod(
          { state: { waiting: { reason: 'ErrImagePull' } } },
          {
            restartCount: 1,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          },
          { state: { waiting: { reason: 'ContainerCreating' } } },
        ),
      ),
    ).toBeUndefined();
    expect(podStartTrouble({})).toBeUndefined();
  });
});
