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
import { rootRouteRef as namespaceTransferRouteRef } from '@namespace-transfer/plugin-namespace-transfer';
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

const render = (options: {
  catalogApi: ReturnType<typeof mockCatalog>;
  userEntityRef: string;
  ownershipEntityRefs: string[];
  displayName?: string;
}) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
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
    ).toHaveAttribute('href', '/namespace-transfer');
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
});
