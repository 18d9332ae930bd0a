import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityVolumesResponse,
  Volume,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../../api';
import { EntityVolumesContent } from './EntityVolumesContent';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-db', namespace: 'default', annotations },
  spec: {},
});
const annotated = entity({
  'backstage.io/kubernetes-id': 'payments-db',
  'backstage.io/kubernetes-namespace': 'payments',
});

const volume: Volume = {
  cluster: 'east',
  namespace: 'payments',
  name: 'payments-db-data',
  capacity: '1Gi',
  storageClass: 'standard',
  phase: 'Bound',
  accessModes: ['ReadWriteOnce'],
  volumeName: 'pvc-123',
  usedBy: {
    pods: [{ name: 'payments-db-7c9-x1', phase: 'Running' }],
    workloads: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'payments-db',
        replicas: 1,
      },
    ],
  },
  transferable: {
    transferable: false,
    source: 'namespace-annotation',
    reason: 'The namespace opts out of transfers.',
  },
};

function render(api: Partial<NamespaceTransferApi>, e: Entity = annotated) {
  return renderInTestApp(
    <TestApiProvider apis={[[namespaceTransferApiRef, api]]}>
      <EntityProvider entity={e}>
        <EntityVolumesContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityVolumesContent', () => {
  it('shows each cluster: a table of volumes, or the error of a cluster that failed', async () => {
    const response: EntityVolumesResponse = {
      entityRef: 'component:default/payments-db',
      selector: {
        labelSelector: 'backstage.io/kubernetes-id=payments-db',
        namespace: 'payments',
      },
      clusters: [
        { cluster: 'east', volumes: [volume] },
        {
          cluster: 'west',
          volumes: [],
          error: {
            reason: 'unreachable',
            message: "Cluster 'west' is unreachable (ECONNREFUSED)",
          },
        },
      ],
    };
    const getEntityVolumes = jest.fn(async () => response);
    await render({ getEntityVolumes });

    expect(getEntityVolumes).toHaveBeenCalledWith(
      'component:default/payments-db',
    );
    expect(await screen.findByText('payments-db-data')).toBeInTheDocument();
    expect(screen.getByText('Cluster east')).toBeInTheDocument();
    expect(screen.getByText('1Gi')).toBeInTheDocument();
    expect(screen.getByText('standard')).toBeInTheDocument();
    expect(screen.getByText('Bound')).toBeInTheDocument();
    expect(screen.getByText('RWO')).toBeInTheDocument();
    expect(
      screen.getByText('Deployment payments-db (1 replica)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Pod payments-db-7c9-x1 · Running'),
    ).toBeInTheDocument();
    expect(screen.getByText('No')).toBeInTheDocument();
    expect(screen.getByText(/Cluster west: unreachable/)).toBeInTheDocument();
    expect(
      screen.getByText(/Cluster 'west' is unreachable \(ECONNREFUSED\)/),
    ).toBeVisible();
    expect(
      screen.getByText(/1 volume found by label selector/),
    ).toBeInTheDocument();
  });

  it('explains which annotation to add instead of calling the backend', async () => {
    const getEntityVolumes = jest.fn();
    await render({ getEntityVolumes }, entity({}));
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    expect(getEntityVolumes).not.toHaveBeenCalled();
  });

  it('shows the backend error message', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'No entity component:default/payments-db in the catalog',
          },
          response: { statusCode: 404 },
        }),
        {
          status: 404,
          statusText: 'Not Found',
          headers: { 'content-type': 'application/json' },
        },
      ) as any,
    );
    await render({ getEntityVolumes: async () => Promise.reject(error) });
    expect(
      (
        await screen.findAllByText(
          /No entity component:default\/payments-db in the catalog/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });

  it('says so when no cluster is configured', async () => {
    await render({
      getEntityVolumes: async () => ({
        entityRef: 'component:default/payments-db',
        selector: { labelSelector: 'a=b' },
        clusters: [],
      }),
    });
    expect(
      await screen.findByText(/No Kubernetes clusters configured/),
    ).toBeInTheDocument();
  });
});
