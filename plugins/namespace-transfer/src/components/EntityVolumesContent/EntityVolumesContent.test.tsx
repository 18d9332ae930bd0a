import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityVolumesResponse,
  Volume,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../../api';
import {
  allowedPlan,
  destinations,
  pendingTransfer,
  profile,
} from '../RequestDialog/testFixtures';
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

/** The caller owns orders-api and payments-db; tests override what they are about. */
const requester: Partial<NamespaceTransferApi> = {
  getDestinations: async () => destinations,
  getCallerProfile: async () => profile,
};

function render(api: Partial<NamespaceTransferApi>, e: Entity = annotated) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[namespaceTransferApiRef, { ...requester, ...api }]]}
    >
      <EntityProvider entity={e}>
        <EntityVolumesContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const transferable = (name: string, namespace = 'payments'): Volume => ({
  ...volume,
  name,
  namespace,
  transferable: {
    transferable: true,
    source: 'default',
    reason: 'Transfers are allowed by default.',
  },
});

const volumesOf = (...volumes: Volume[]): EntityVolumesResponse => ({
  entityRef: 'component:default/payments-db',
  selector: { labelSelector: 'backstage.io/kubernetes-id=payments-db' },
  clusters: [{ cluster: 'east', volumes }],
});

// tables and a dialog rendered on a shared machine
jest.setTimeout(120_000);
configure({ asyncUtilTimeout: 30_000 });

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

  it('offers "Transfer" only on a transferable claim, keeps the reason of one that is not, and opens the request for it', async () => {
    await render({
      getEntityVolumes: async () =>
        volumesOf(transferable('payments-db-data'), {
          ...volume,
          name: 'payments-audit-log',
        }),
      planTransfer: async () => allowedPlan,
    });
    expect(await screen.findByText('payments-audit-log')).toBeInTheDocument();
    const transfer = await screen.findAllByRole('button', { name: 'Transfer' });
    expect(transfer).toHaveLength(1);
    const refusedRow = screen.getByText('payments-audit-log').closest('tr')!;
    expect(
      within(refusedRow).queryByRole('button', { name: 'Transfer' }),
    ).not.toBeInTheDocument();
    expect(within(refusedRow).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(
      within(refusedRow).getByText('The namespace opts out of transfers.'),
    ).toBeInTheDocument();
    const row = screen.getByText('payments-db-data').closest('tr')!;
    expect(within(row).getByRole('button', { name: 'Transfer' })).toBe(
      transfer[0],
    );

    await userEvent.setup().click(transfer[0]);
    const dialog = await screen.findByRole('dialog', {
      name: 'Request a transfer',
    });
    expect(
      within(dialog).getByText('Claim payments-db-data in east/payments'),
    ).toBeInTheDocument();
  });

  it('requests a batch of the claims selected in one namespace and says what it created', async () => {
    const requestBatch = jest.fn(async () => ({
      batch: {
        id: 'b-1',
        requester: 'user:default/alice',
        source: { cluster: 'east', namespace: 'payments' },
        destinationEntityRef: 'component:default/orders-api',
        createdAt: '2026-12-05T10:00:00.000Z',
      },
      transfers: [
        pendingTransfer('tr-1', 'payments-db-data'),
        pendingTransfer('tr-2', 'payments-cache'),
      ],
    }));
    await render({
      getEntityVolumes: async () =>
        volumesOf(
          transferable('payments-db-data'),
          transferable('payments-cache'),
        ),
      planTransfer: async () => allowedPlan,
      requestBatch,
    });
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('checkbox', {
        name: 'Select all transferable claims',
      }),
    );
    expect(screen.getByText('2 claims selected')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Transfer selected' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Request a transfer',
    });
    const submit = within(dialog).getByRole('button', {
      name: 'Request transfer',
    });
    await waitFor(() => expect(submit).toBeEnabled());
    await user.click(submit);

    expect(requestBatch).toHaveBeenCalledWith(
      expect.objectContaining({
        source: {
          cluster: 'east',
          namespace: 'payments',
          claims: ['payments-db-data', 'payments-cache'],
        },
      }),
    );
    expect(
      await screen.findByText(
        'Requested 2 transfers (payments-db-data, payments-cache): each waits for approval by the owners of its source.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('keeps a batch to one namespace: a selection across two is refused with the reason', async () => {
    await render({
      getEntityVolumes: async () =>
        volumesOf(
          transferable('payments-db-data'),
          transferable('orders-db-data', 'orders'),
        ),
    });
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('checkbox', { name: 'Select payments-db-data' }),
    );
    await user.click(
      screen.getByRole('checkbox', { name: 'Select orders-db-data' }),
    );
    expect(
      screen.getByRole('button', { name: 'Transfer selected' }),
    ).toBeDisabled();
    expect(
      screen.getByText(
        "A batch is one namespace's claims; the selection spans payments, orders.",
      ),
    ).toBeInTheDocument();

    await user.click(
      screen.getByRole('button', { name: 'Select all in orders' }),
    );
    expect(screen.getByText('1 claim selected')).toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', { name: 'Select orders-db-data' }),
    ).toBeChecked();
    expect(
      screen.getByRole('button', { name: 'Transfer selected' }),
    ).toBeEnabled();
  });

  it('shows no transfer action to a user with nowhere to request into, and says why', async () => {
    await render({
      getEntityVolumes: async () => volumesOf(transferable('payments-db-data')),
      getDestinations: async () => ({ destinations: [], clusters: [] }),
    });
    expect(
      await screen.findByText(/You own no catalog entity with a namespace/),
    ).toBeInTheDocument();
    expect(screen.getByText('payments-db-data')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Transfer' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
  });
});
