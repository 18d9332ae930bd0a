/**
 * The KEP caches on kube-sim: a stop() that comes while the first lists run leaves no list or watch
 * behind (the informer's own start() would clear its stopped flag and open them after the stop).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import { startClusters, type SimWorld } from 'kube-sim';
import { watchKepObjects } from './informers';
import { prepareKepCluster } from './testing';
import { APPROVALS, REQUESTS } from './types';

jest.setTimeout(120_000);

const CRDS = join(__dirname, '../../../../deploy/crds');

describe('KEP caches on kube-sim', () => {
  let world: SimWorld;
  let kc: KubeConfig;

  beforeAll(async () => {
    world = await startClusters([{ name: 'east' }]);
    kc = world.cluster('east').kubeConfig();
    await prepareKepCluster(kc, CRDS, ['team-a']);
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('a stop() while the first list runs starts nothing after it', async () => {
    const faults = world.cluster('east').apiServer.faults;
    // let through, only counted: which lists and watches reach the server
    const count = (resource: string, verb: string) =>
      faults.add({ resource, verb, errorRate: 0 });
    const approvalLists = count(APPROVALS, 'list');
    const claimLists = count('persistentvolumeclaims', 'list');
    const requestLists = count(REQUESTS, 'list');
    const requestWatches = count(REQUESTS, 'watch');
    const seen: string[] = [];
    const caches = watchKepObjects(
      kc,
      {
        request: r => void seen.push(r.metadata.name),
        approval: a => void seen.push(a.metadata.name),
        claim: c => void seen.push(c.metadata?.name ?? ''),
      },
      { log: () => undefined },
    );
    // the approvals' list is under way: stop() now
    await caches.stop();
    await caches.ready;
    expect(approvalLists.matched).toBe(1);
    // the chained starts of claims and requests did not run after the stop
    expect(claimLists.matched).toBe(0);
    expect(requestLists.matched).toBe(0);
    expect(requestWatches.matched).toBe(0);
    expect(seen).toEqual([]);
  });
});
