import {
  markPodFinished,
  startHarness,
  waitFor,
  type ControllerHarness,
} from '../testing/harness';
import { R } from '../kube/resources';
import type { KubeObject } from '../kube/types';

jest.setTimeout(30_000);

let h: ControllerHarness;

beforeAll(async () => {
  h = await startHarness('rq');
});
afterAll(() => h?.stop());

const usedOf = async (ns: string, name: string) =>
  (
    await h.rest.get<
      KubeObject & { status?: { used?: Record<string, string> } }
    >(R.resourcequotas, ns, name)
  ).status?.used;

/** Waits until the quota's status.used is exactly `used`. */
const usedBecomes = (ns: string, name: string, used: Record<string, string>) =>
  waitFor(`quota ${name} used ${JSON.stringify(used)}`, async () => {
    const now = await usedOf(ns, name);
    const sorted = (o: object = {}) => JSON.stringify(Object.entries(o).sort());
    return sorted(now) === sorted(used) && now;
  });

describe('resource-quota controller', () => {
  it('fills status from what the namespace holds, and gives charges back when pods finish or objects go', async () => {
    const ns = 'team';
    await h.rest.create(R.namespaces, undefined, { metadata: { name: ns } });
    await h.rest.create(R.configmaps, ns, { metadata: { name: 'before' } });
    await h.rest.create(R.resourcequotas, ns, {
      metadata: { name: 'q' },
      spec: {
        hard: {
          pods: '5',
          'count/pods': '5',
          'requests.cpu': '2',
          'limits.memory': '1Gi',
          configmaps: '4',
          'requests.storage': '10Gi',
        },
      },
    });
    const quota = await waitFor(
      'status.hard',
      async () =>
        (
          await h.rest.get<KubeObject & { status?: Record<string, unknown> }>(
            R.resourcequotas,
            ns,
            'q',
          )
        ).status?.hard,
    );
    expect(quota).toEqual({
      'count/pods': '5',
      configmaps: '4',
      'limits.memory': '1Gi',
      pods: '5',
      'requests.cpu': '2',
      'requests.storage': '10Gi',
    });
    // resources nothing uses yet are reported at zero; the config map made before the quota counts
    await usedBecomes(ns, 'q', {
      'count/pods': '0',
      configmaps: '1',
      'limits.memory': '0',
      pods: '0',
      'requests.cpu': '0',
      'requests.storage': '0',
    });
    await h.rest.create(R.pods, ns, {
      metadata: { name: 'worker' },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'x',
            resources: {
              requests: { cpu: '500m' },
              limits: { memory: '256Mi' },
            },
          },
        ],
      },
    });
    await h.rest.create(R.persistentvolumeclaims, ns, {
      metadata: { name: 'data' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '3Gi' } },
      },
    });
    const charged = {
      'count/pods': '1',
      configmaps: '1',
      'limits.memory': '256Mi',
      pods: '1',
      'requests.cpu': '500m',
      'requests.storage': '3Gi',
    };
    // the admission's charge, and the controller's recount agree
    expect(await usedOf(ns, 'q')).toEqual(charged);
    await markPodFinished(h.rest, ns, 'worker', 'Succeeded');
    // a finished pod holds no compute, but is still an object in storage (count/pods)
    await usedBecomes(ns, 'q', {
      ...charged,
      pods: '0',
      'requests.cpu': '0',
      'limits.memory': '0',
    });
    await h.rest.delete(R.pods, ns, 'worker', { gracePeriodSeconds: 0 });
    await h.rest.delete(R.configmaps, ns, 'before');
    await usedBecomes(ns, 'q', {
      ...charged,
      'count/pods': '0',
      pods: '0',
      'requests.cpu': '0',
      'limits.memory': '0',
      configmaps: '0',
    });
  });
});
