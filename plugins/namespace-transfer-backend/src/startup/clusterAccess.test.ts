import { mockServices } from '@backstage/backend-test-utils';
import { ClusterRegistry } from '../clusters';
import { reportClusterAccess } from './clusterAccess';

describe('reportClusterAccess without clusters', () => {
  it('warns that nothing can be listed or moved, and says which key to add', async () => {
    const logger = mockServices.logger.mock();
    expect(await reportClusterAccess(new ClusterRegistry([]), logger)).toEqual(
      [],
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^namespace-transfer: no cluster is configured, .* add the clusters under kubernetes\.clusterLocatorMethods \(type: config\)/,
      ),
    );
  });
});
