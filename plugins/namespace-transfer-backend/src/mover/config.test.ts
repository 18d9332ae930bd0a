import { ConfigReader, type JsonObject } from '@backstage/config';
import { readMoverResources } from './config';

const config = (resources: JsonObject) =>
  new ConfigReader({ namespaceTransfer: { mover: { resources } } });

describe('readMoverResources', () => {
  it('reads the operator’s requests, limits and demanded limits', () => {
    expect(
      readMoverResources(
        config({
          requests: { cpu: '250m', memory: '256Mi' },
          limits: { cpu: '2' },
          demandedLimits: { memory: '1Gi' },
        }),
      ),
    ).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '2' },
      demandedLimits: { memory: '1Gi' },
    });
    expect(readMoverResources(new ConfigReader({}))).toBeUndefined();
  });

  it('refuses a value that is not a positive quantity, naming the key', () => {
    expect(() =>
      readMoverResources(config({ limits: { cpu: 'lots' } })),
    ).toThrow(
      'namespaceTransfer.mover.resources.limits.cpu must be a positive Kubernetes quantity (e.g. 250m, 1, 256Mi), got "lots"',
    );
    expect(() =>
      readMoverResources(config({ requests: { memory: '0' } })),
    ).toThrow('requests.memory');
  });
});
