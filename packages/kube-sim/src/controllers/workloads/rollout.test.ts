import {
  newRsReplicas,
  oldScaleDownBudget,
  resolveIntOrPercent,
  surgeAndUnavailable,
} from './rollout';
import { claimName, ordinalOf, podName } from './ordinals';
import { templateHash } from './template-hash';

describe('rolling update arithmetic', () => {
  it('resolves percentages with the rounding upstream uses', () => {
    expect(resolveIntOrPercent('25%', 3, true, '0')).toBe(1);
    expect(resolveIntOrPercent('25%', 3, false, '0')).toBe(0);
    expect(resolveIntOrPercent(2, 3, false, '0')).toBe(2);
    expect(surgeAndUnavailable(3)).toEqual({ surge: 1, unavailable: 0 });
    expect(surgeAndUnavailable(1, 0, 0)).toEqual({ surge: 0, unavailable: 1 });
  });

  it('surges the new set within maxSurge', () => {
    expect(
      newRsReplicas(3, 1, { replicas: 0, available: 0 }, [
        { replicas: 0, available: 0 },
        { replicas: 3, available: 3 },
      ]),
    ).toBe(1);
    expect(
      newRsReplicas(3, 1, { replicas: 0, available: 0 }, [
        { replicas: 0, available: 0 },
      ]),
    ).toBe(3);
    expect(
      newRsReplicas(0, 1, { replicas: 3, available: 3 }, [
        { replicas: 3, available: 3 },
      ]),
    ).toBe(0);
  });

  it('scales old sets down only as far as availability allows', () => {
    // 3 desired, 0 unavailable allowed: the new pod must be available before an old one goes.
    expect(
      oldScaleDownBudget(3, 0, { replicas: 1, available: 0 }, [
        { replicas: 3, available: 3 },
      ]),
    ).toEqual({ unhealthy: 0, healthy: 0 });
    expect(
      oldScaleDownBudget(3, 0, { replicas: 1, available: 1 }, [
        { replicas: 3, available: 3 },
      ]),
    ).toEqual({ unhealthy: 0, healthy: 1 });
    // unhealthy old pods can always go
    expect(
      oldScaleDownBudget(3, 0, { replicas: 1, available: 1 }, [
        { replicas: 3, available: 1 },
      ]).unhealthy,
    ).toBe(1);
  });
});

describe('names', () => {
  it('names StatefulSet pods and claims and parses ordinals back', () => {
    expect(podName('web', 2)).toBe('web-2');
    expect(claimName('data', 'web', 0)).toBe('data-web-0');
    expect(ordinalOf('web', 'web-10')).toBe(10);
    expect(ordinalOf('web', 'web-01')).toBeUndefined();
    expect(ordinalOf('web', 'webby-1')).toBeUndefined();
  });

  it('hashes templates stably, ignoring key order and the hash label itself', () => {
    const a = templateHash({
      metadata: { labels: { app: 'x' } },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    });
    const b = templateHash({
      spec: { containers: [{ image: 'i', name: 'c' }] },
      metadata: { labels: { 'pod-template-hash': a, app: 'x' } },
    });
    const c = templateHash({
      metadata: { labels: { app: 'y' } },
      spec: { containers: [{ name: 'c', image: 'i' }] },
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(templateHash({}, 1)).not.toBe(templateHash({}));
  });
});
