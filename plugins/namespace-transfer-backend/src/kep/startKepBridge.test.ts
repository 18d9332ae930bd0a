import { mockServices } from '@backstage/backend-test-utils';
import type { LifecycleService } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import type { KepController } from '@namespace-transfer/plugin-namespace-transfer-node';
import { startKepBridge, type BridgeControllerOptions } from './startKepBridge';

/** A lifecycle whose hooks the test runs, as the backend does at start and shutdown. */
function lifecycle() {
  const startup: Array<() => void | Promise<void>> = [];
  const shutdown: Array<() => void | Promise<void>> = [];
  const service = {
    addStartupHook: (hook: () => void) => startup.push(hook),
    addShutdownHook: (hook: () => void) => shutdown.push(hook),
    addBeforeShutdownHook: () => undefined,
  } as unknown as LifecycleService;
  return {
    service,
    start: async () => {
      for (const h of startup) await h();
    },
    shutdown: async () => {
      for (const h of shutdown) await h();
    },
  };
}

function fakeControllers() {
  const started: BridgeControllerOptions[] = [];
  let stopped = 0;
  const start = (o: BridgeControllerOptions): KepController => {
    started.push(o);
    return {
      ready: Promise.resolve(),
      stop: async () => {
        stopped++;
      },
    } as KepController;
  };
  return { started, start, stopped: () => stopped };
}

const kubeConfigs = new Map(
  ['east', 'west'].map(name => {
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser(
      { name, server: `https://${name}.example:6443`, skipTLSVerify: false },
      { name: 'engine', token: 't' },
    );
    return [name, kc];
  }),
);

describe('startKepBridge', () => {
  const hooks = {};

  it('starts a controller per configured cluster once the backend started, and stops them on shutdown', async () => {
    const life = lifecycle();
    const controllers = fakeControllers();
    let flushed = false;
    const bridge = startKepBridge({
      kep: { clusters: ['west'], leaseNamespace: 'platform' },
      kubeConfig: name => kubeConfigs.get(name)!,
      hooks,
      lifecycle: life.service,
      logger: mockServices.logger.mock(),
      flush: async () => {
        flushed = true;
      },
      start: controllers.start,
    });
    expect(controllers.started).toEqual([]);
    await life.start();
    expect(bridge.clusters()).toEqual(['west']);
    expect(controllers.started).toEqual([
      expect.objectContaining({
        kubeConfig: kubeConfigs.get('west'),
        clusterName: 'west',
        hooks,
        leaderElection: {
          namespace: 'platform',
          identity: expect.stringMatching(/^.+\/\d+\/[0-9a-f]{8}$/),
        },
      }),
    ]);
    await life.shutdown();
    expect(controllers.stopped()).toBe(1);
    expect(flushed).toBe(true);
  });

  it('starts nothing where no cluster is configured', async () => {
    const life = lifecycle();
    const controllers = fakeControllers();
    const bridge = startKepBridge({
      kep: { clusters: [], leaseNamespace: 'namespace-transfer-system' },
      kubeConfig: name => kubeConfigs.get(name)!,
      hooks,
      lifecycle: life.service,
      logger: mockServices.logger.mock(),
      start: controllers.start,
    });
    await life.start();
    expect(controllers.started).toEqual([]);
    expect(bridge.clusters()).toEqual([]);
  });
});
