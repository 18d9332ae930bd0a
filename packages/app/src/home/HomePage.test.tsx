import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  CATALOG_FILTER_EXISTS,
  CatalogApi,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  NamespaceTransferApi,
  namespaceTransferApiRef,
  rootRouteRef as namespaceTransferRouteRef,
} from '@namespace-transfer/plugin-namespace-transfer';
import { HomePage } from './HomePage';

function entity(
  kind: string,
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { namespace: 'default', name, annotations },
    spec: { owner, ...spec },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

const alice: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { namespace: 'default', name: 'alice' },
  spec: {
    profile: { displayName: 'Alice (team-payments)' },
    memberOf: ['team-payments'],
  },
};

/**
 * A catalog that answers a query with what the real catalog would: `answer` stands for the entities
 * matching the filter, which the tests check was sent (the e2e runs it against the real catalog).
 */
function mockCatalog(answer: Entity[] | Error) {
  return {
    getEntityByRef: jest.fn(async (ref: string) =>
      ref === 'user:default/alice' ? alice : undefined,
    ),
    getEntities: jest.fn(async () => {
      if (answer instanceof Error) throw answer;
      return { items: answer };
    }),
  };
}

const paymentsDb = entity(
  'Component',
  'payments-db',
  'group:default/team-payments',
  {
    'backstage.io/kubernetes-id': 'payments-db',
    'backstage.io/kubernetes-namespace': 'payments',
  },
  { type: 'service' },
);
const scratch = entity('Resource', 'alice-scratch', 'user:default/alice', {
  'backstage.io/kubernetes-label-selector': 'app=scratch',
});
// The annotation exists, so the catalog returns it, but it names nothing.
const blankId = entity('Component', 'blank-id', 'group:default/team-payments', {
  'backstage.io/kubernetes-id': ' ',
});

/** Nothing waits and nothing runs, unless a test says otherwise. */
const quietTransfers: Partial<NamespaceTransferApi> = {
  getPendingApprovals: async () => ({ items: [] }),
  listTransfers: async () => ({ items: [] }),
};

type TransferSummary = Awaited<
  ReturnType<NamespaceTransferApi['listTransfers']>
>['items'][number];

/** A transfer as the API sends it: payments' `data` claim copied from east to west. */
function transfer(
  overrides: Partial<TransferSummary> & { id: string },
): TransferSummary {
  return {
    requestedVia: 'portal',
    source: {
      cluster: 'east',
      namespace: 'payments',
      claim: 'data',
      entityRef: 'component:default/payments-db',
    },
    destination: {
      cluster: 'west',
      namespace: 'orders',
      claim: 'data',
      entityRef: 'component:default/orders-db',
    },
    requestedMode: 'auto',
    chosenMode: 'copy',
    intent: 'clone',
    options: {},
    plan: {
      transferId: overrides.id,
      source: {
        cluster: 'east',
        namespace: 'payments',
        name: 'data',
        accessModes: ['ReadWriteOnce'],
      },
      destination: {
        cluster: 'west',
        namespace: 'orders',
        name: 'data',
        exists: false,
      },
      mode: 'copy',
      modeReason: 'the claims are on different clusters',
      intent: 'clone',
      mover: 'rsync',
      transport: 'stunnel',
      workloads: [],
      podSecurity: {},
      warnings: [],
      refusals: [],
      allowed: true,
    },
    requester: 'user:default/alice',
    state: 'pending-approval',
    cancelRequested: false,
    pastPointOfNoReturn: false,
    leftForResume: false,
    approvedBy: [],
    progress: {},
    attempt: 1,
    engineTransferId: `${overrides.id}-1`,
    createdAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T10:00:00.000Z',
    url: `http://localhost:3000/namespace-transfer/transfers/${overrides.id}`,
    allowedActions: [],
    ...overrides,
  };
}

const render = (options: {
  catalogApi: ReturnType<typeof mockCatalog>;
  userEntityRef: string;
  ownershipEntityRefs: string[];
  displayName?: string;
  transfersApi?: Partial<NamespaceTransferApi>;
}) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [namespaceTransferApiRef, options.transfersApi ?? quietTransfers],
        [catalogApiRef, options.catalogApi as Partial<CatalogApi>],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: options.userEntityRef,
            ownershipEntityRefs: options.ownershipEntityRefs,
            displayName: options.displayName,
          }),
        ],
      ]}
    >
      <HomePage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/namespace-transfer': namespaceTransferRouteRef,
      },
    },
  );

describe('HomePage', () => {
  it("greets the user by their catalog display name and lists their and their groups' components on Kubernetes", async () => {
    const catalogApi = mockCatalog([scratch, blankId, paymentsDb]);
    await render({
      catalogApi,
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: [
        'user:default/alice',
        'group:default/team-payments',
      ],
      displayName: 'alice',
    });

    expect(
      await screen.findByText('Welcome, Alice (team-payments)'),
    ).toBeInTheDocument();
    const table = await screen.findByRole('table', {
      name: 'Your components on Kubernetes',
    });

    // Components and resources owned by the user or their groups, with either annotation.
    expect(catalogApi.getEntities).toHaveBeenCalledTimes(1);
    const [request] = catalogApi.getEntities.mock.calls[0] as unknown as [
      { filter: Record<string, unknown>[] },
    ];
    const owned = {
      kind: ['Component', 'Resource'],
      'relations.ownedBy': [
        'user:default/alice',
        'group:default/team-payments',
      ],
    };
    expect(request.filter).toEqual([
      {
        ...owned,
        'metadata.annotations.backstage.io/kubernetes-id':
          CATALOG_FILTER_EXISTS,
      },
      {
        ...owned,
        'metadata.annotations.backstage.io/kubernetes-label-selector':
          CATALOG_FILTER_EXISTS,
      },
    ]);

    // Components first, then resources; a blank annotation is left out as the tab would refuse it.
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(row => within(row).getAllByRole('link')[0].textContent),
    ).toEqual(['payments-db', 'alice-scratch']);
    expect(screen.queryByText('blank-id')).toBeNull();

    const [paymentsDbRow, scratchRow] = rows;
    for (const name of ['payments-db', 'Volumes & transfers of payments-db']) {
      expect(within(paymentsDbRow).getByRole('link', { name })).toHaveAttribute(
        'href',
        '/catalog/default/component/payments-db/volumes',
      );
    }
    expect(paymentsDbRow).toHaveTextContent('Component · service');
    expect(paymentsDbRow).toHaveTextContent('id payments-db');
    expect(paymentsDbRow).toHaveTextContent('namespace payments');
    expect(paymentsDbRow).toHaveTextContent('team-payments');
    expect(
      within(scratchRow).getByRole('link', { name: 'alice-scratch' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/alice-scratch/volumes',
    );
    expect(scratchRow).toHaveTextContent('label selector app=scratch');
    expect(scratchRow).toHaveTextContent('any namespace');

    expect(
      screen.getByRole('link', { name: 'Go to the clusters page' }),
    ).toHaveAttribute('href', '/namespace-transfer/clusters');
  });

  it('greets a user the catalog does not know by their sign-in name and says how a component gets listed', async () => {
    await render({
      catalogApi: mockCatalog([]),
      userEntityRef: 'user:development/guest',
      ownershipEntityRefs: ['user:development/guest'],
      displayName: 'Guest',
    });

    expect(await screen.findByText('Welcome, Guest')).toBeInTheDocument();
    expect(
      await screen.findByText(/None of the components or resources you own/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
    expect(
      screen.getByRole('link', { name: 'Go to the clusters page' }),
    ).toBeInTheDocument();
  });

  it('shows why the components cannot be listed when the catalog fails, and the rest of the page', async () => {
    await render({
      catalogApi: mockCatalog(new Error('catalog is down')),
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: ['user:default/alice'],
    });

    expect(
      await screen.findByText('Welcome, Alice (team-payments)'),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/catalog is down/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('link', { name: 'Go to the clusters page' }),
    ).toBeInTheDocument();
  });

  it('shows what waits for their approval and their own transfers in flight', async () => {
    const fromBob = transfer({
      id: 'tr-bob',
      requester: 'user:default/bob',
      source: {
        cluster: 'east',
        namespace: 'payments',
        claim: 'ledger',
        entityRef: 'component:default/payments-db',
      },
      allowedActions: ['approve', 'reject'],
    });
    const mine = transfer({
      id: 'tr-mine',
      state: 'running',
      phase: 'Syncing',
      progress: { bytesDone: 0, bytesTotal: 1024 ** 3 },
    });
    const transfersApi = {
      getPendingApprovals: jest.fn(async () => ({ items: [fromBob] })),
      listTransfers: jest.fn(async () => ({ items: [mine] })),
    };
    await render({
      catalogApi: mockCatalog([]),
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: [
        'user:default/alice',
        'group:default/team-payments',
      ],
      transfersApi,
    });

    const approvals = await screen.findByRole('region', {
      name: 'Waiting for your approval',
    });
    expect(
      await within(approvals).findByText('1 request waits for your approval.'),
    ).toBeInTheDocument();
    expect(approvals).toHaveTextContent('east/payments/ledger');
    expect(
      within(approvals)
        .getAllByRole('link')
        .map(link => link.getAttribute('href')),
    ).toContain('/namespace-transfer/transfers/tr-bob');

    const inFlight = screen.getByRole('region', {
      name: 'Your transfers in flight',
    });
    expect(await within(inFlight).findByText('Syncing')).toBeInTheDocument();
    expect(transfersApi.listTransfers).toHaveBeenCalledWith(
      expect.objectContaining({
        requester: 'user:default/alice',
        state: ['pending-approval', 'approved', 'running', 'staged'],
      }),
    );

    // the demo app's signals plugin keeps them live; without it each says how to see changes
    expect(
      within(inFlight).getByRole('button', { name: 'Refresh' }),
    ).toBeInTheDocument();
  });

  it('says when nothing waits and nothing is under way', async () => {
    await render({
      catalogApi: mockCatalog([]),
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: ['user:default/alice'],
    });
    const approvals = await screen.findByRole('region', {
      name: 'Waiting for your approval',
    });
    expect(
      await within(approvals).findByText('No requests wait for your approval.'),
    ).toBeInTheDocument();
    const inFlight = screen.getByRole('region', {
      name: 'Your transfers in flight',
    });
    expect(
      await within(inFlight).findByText(/None of your transfers is under way/),
    ).toBeInTheDocument();
  });

  it("shows the portal backend's message in its sections when it fails, and the rest of the page", async () => {
    const down = async () => {
      throw new Error('namespace-transfer backend is down');
    };
    await render({
      catalogApi: mockCatalog([paymentsDb]),
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: ['user:default/alice'],
      transfersApi: { getPendingApprovals: down, listTransfers: down },
    });
    const approvals = await screen.findByRole('region', {
      name: 'Waiting for your approval',
    });
    expect(
      (await within(approvals).findAllByText(/backend is down/)).length,
    ).toBeGreaterThan(0);
    const inFlight = screen.getByRole('region', {
      name: 'Your transfers in flight',
    });
    expect(
      (await within(inFlight).findAllByText(/backend is down/)).length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByRole('table', {
        name: 'Your components on Kubernetes',
      }),
    ).toBeInTheDocument();
  });
});
