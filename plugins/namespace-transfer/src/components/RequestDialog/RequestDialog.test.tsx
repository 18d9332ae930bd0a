import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  TransferCallerProfile,
  TransferRequest,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../../api';
import { RequestSource } from './formModel';
import { RequestDialog } from './RequestDialog';
import {
  allowedPlan,
  destinations,
  pendingTransfer,
  profile,
  refusedPlan,
} from './testFixtures';

const one: RequestSource = {
  cluster: 'east',
  namespace: 'payments',
  claims: ['payments-db-data'],
};

async function badRequest(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'InputError', message },
        response: { statusCode: 400 },
      }),
      {
        status: 400,
        statusText: 'Bad Request',
        headers: { 'content-type': 'application/json' },
      },
    ) as any,
  );
}

async function render(
  api: Partial<NamespaceTransferApi>,
  options: { source?: RequestSource; caller?: TransferCallerProfile } = {},
) {
  const onRequested = jest.fn();
  const onClose = jest.fn();
  const rendered = await renderInTestApp(
    <TestApiProvider apis={[[namespaceTransferApiRef, api]]}>
      <RequestDialog
        source={options.source ?? one}
        destinations={destinations}
        profile={options.caller ?? profile}
        onClose={onClose}
        onRequested={onRequested}
        planDelayMs={50}
      />
    </TestApiProvider>,
  );
  return { rendered, onRequested, onClose };
}

const submitButton = () =>
  screen.getByRole('button', { name: 'Request transfer' });
const waitForPlan = () =>
  screen.findByText(/the destination is on another cluster/);

// a dialog of many fields typed into key by key: slow on a shared machine
jest.setTimeout(120_000);
configure({ asyncUtilTimeout: 30_000 });

describe('RequestDialog', () => {
  it('plans the default draft into an entity elsewhere and shows the facts of the plan', async () => {
    const planTransfer = jest.fn(async () => allowedPlan);
    await render({ planTransfer });

    expect(
      await screen.findByRole('dialog', { name: 'Request a transfer' }),
    ).toBeInTheDocument();
    await waitForPlan();
    // the first destination that is not where the claim is already
    expect(planTransfer).toHaveBeenCalledWith({
      source: {
        cluster: 'east',
        namespace: 'payments',
        claim: 'payments-db-data',
      },
      destination: {
        entityRef: 'component:default/orders-api',
        cluster: 'west',
        namespace: 'orders',
        claim: 'payments-db-data',
      },
      mode: 'auto',
      intent: 'move',
    });
    const plan = within(screen.getByRole('region', { name: 'Plan' }));
    expect(
      plan.getByText(/copy, move: the destination is on another cluster/),
    ).toBeInTheDocument();
    expect(
      plan.getByText('Not rebind: rebind needs the same cluster'),
    ).toBeInTheDocument();
    expect(
      plan.getByText('Deployment payments/payments-db (1 replica)'),
    ).toBeInTheDocument();
    expect(plan.getByText('for about 20 s')).toBeInTheDocument();
    expect(plan.getByText('2 min 30 s, downtime 20 s')).toBeInTheDocument();
    expect(
      plan.getByText(
        'user 1000, group 3000, fsGroup 2000 (taken from the workload that uses the destination)',
      ),
    ).toBeInTheDocument();
    expect(
      plan.getByText('No quota or permission stands in the way.'),
    ).toBeInTheDocument();
    expect(
      plan.getByText(
        'the destination namespace enforces the restricted pod security',
      ),
    ).toBeInTheDocument();
    expect(submitButton()).toBeEnabled();
  });

  it('keeps "Request transfer" off while the plan refuses, and turns it on when a new draft is allowed', async () => {
    const planTransfer = jest.fn(async (r: TransferRequest) =>
      r.destination.claim === 'payments-db-data' ? refusedPlan : allowedPlan,
    );
    const requestTransfer = jest.fn(async () =>
      pendingTransfer('tr-1', 'payments-db-data'),
    );
    const { onRequested } = await render({ planTransfer, requestTransfer });

    expect(
      await screen.findByText(
        'DestinationExists: west/orders/payments-db-data exists already',
      ),
    ).toBeInTheDocument();
    // a quota finding is named as such, too
    expect(
      screen.getAllByText(/quota compute-resources of orders allows 1Gi/),
    ).toHaveLength(2);
    expect(submitButton()).toBeDisabled();
    expect(
      screen.getByText('The plan refuses this transfer: see why in the plan.'),
    ).toBeInTheDocument();

    const user = userEvent.setup();
    const name = screen.getByLabelText('Claim name');
    await user.clear(name);
    await user.type(name, 'payments-db-copy');
    await waitFor(() => expect(submitButton()).toBeEnabled());
    expect(screen.queryByText(/DestinationExists/)).not.toBeInTheDocument();

    await user.click(submitButton());
    expect(requestTransfer).toHaveBeenCalledWith(
      expect.objectContaining({
        destination: expect.objectContaining({ claim: 'payments-db-copy' }),
      }),
    );
    await waitFor(() =>
      expect(onRequested).toHaveBeenCalledWith([
        pendingTransfer('tr-1', 'payments-db-data'),
      ]),
    );
  });

  it("says the schema's complaint at the field, and neither plans nor sends such a draft", async () => {
    const planTransfer = jest.fn(async () => allowedPlan);
    await render({ planTransfer });
    await waitForPlan();
    const calls = planTransfer.mock.calls.length;

    const user = userEvent.setup();
    const name = screen.getByLabelText('Claim name');
    await user.clear(name);
    await user.type(name, 'Payments_DB');

    expect(name).toHaveAccessibleDescription(
      /destination\.claim must be a DNS-1123 subdomain/,
    );
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(submitButton()).toBeDisabled();
    expect(
      screen.getByText('Correct the fields marked in red first.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The plan appears here once the fields are filled in/),
    ).toBeInTheDocument();

    // a comment longer than the schema allows is refused at the comment
    fireEvent.change(screen.getByLabelText('Comment'), {
      target: { value: 'x'.repeat(2001) },
    });
    expect(screen.getByLabelText('Comment')).toHaveAccessibleDescription(
      'comment must be at most 2000 characters',
    );
    expect(planTransfer).toHaveBeenCalledTimes(calls);
  });

  it('shows the backend refusing the request with its message, and keeps what was typed', async () => {
    const requestTransfer = jest.fn(async () => {
      throw await badRequest(
        'You do not own component:default/orders-api (its owners: group:default/team-orders)',
      );
    });
    const { onRequested } = await render({
      planTransfer: async () => allowedPlan,
      requestTransfer,
    });
    await waitForPlan();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Comment'), 'before the migration');
    await waitFor(() => expect(submitButton()).toBeEnabled());
    await user.click(submitButton());

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The request was refused: You do not own component:default/orders-api (its owners: group:default/team-orders)',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(screen.getByLabelText('Comment')).toHaveValue(
      'before the migration',
    );
    expect(requestTransfer).toHaveBeenCalledWith(
      expect.objectContaining({ comment: 'before the migration' }),
    );
    expect(onRequested).not.toHaveBeenCalled();
  });

  it('says why a plan could not be made and keeps the request off', async () => {
    await render({
      planTransfer: async () => {
        throw await badRequest(
          "destination.cluster 'north' is not a configured cluster",
        );
      },
    });
    expect(
      await screen.findByText(
        "The plan could not be made: destination.cluster 'north' is not a configured cluster",
        { selector: 'p' },
      ),
    ).toBeInTheDocument();
    expect(submitButton()).toBeDisabled();
  });

  it('requests a batch of the claims, each keeping its name, after planning every claim', async () => {
    const source = {
      cluster: 'east',
      namespace: 'payments',
      claims: ['payments-db-data', 'payments-cache'],
    };
    const planTransfer = jest.fn(async (_: TransferRequest) => allowedPlan);
    const transfers = [
      pendingTransfer('tr-1', 'payments-db-data'),
      pendingTransfer('tr-2', 'payments-cache'),
    ];
    const requestBatch = jest.fn(async () => ({
      batch: {
        id: 'b-1',
        requester: 'user:default/alice',
        source: { cluster: 'east', namespace: 'payments' },
        destinationEntityRef: 'component:default/orders-api',
        createdAt: '2026-12-05T10:00:00.000Z',
      },
      transfers,
    }));
    const { onRequested } = await render(
      { planTransfer, requestBatch },
      { source },
    );

    expect(await screen.findByText('Claim payments-cache')).toBeInTheDocument();
    expect(screen.getByText('Claim payments-db-data')).toBeInTheDocument();
    expect(screen.queryByLabelText('Claim name')).not.toBeInTheDocument();
    expect(planTransfer.mock.calls.map(([r]) => r.source.claim)).toEqual([
      'payments-db-data',
      'payments-cache',
    ]);

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Storage class'), 'fast');
    await waitFor(() => expect(submitButton()).toBeEnabled());
    await user.click(submitButton());
    expect(requestBatch).toHaveBeenCalledWith({
      source: {
        cluster: 'east',
        namespace: 'payments',
        claims: ['payments-db-data', 'payments-cache'],
      },
      destination: {
        entityRef: 'component:default/orders-api',
        cluster: 'west',
        namespace: 'orders',
        storageClass: 'fast',
      },
      mode: 'auto',
      intent: 'move',
    });
    await waitFor(() => expect(onRequested).toHaveBeenCalledWith(transfers));
  });

  it('can be filled in and sent with the keyboard alone', async () => {
    const planTransfer = jest.fn(async () => allowedPlan);
    const requestTransfer = jest.fn(async () =>
      pendingTransfer('tr-1', 'payments-db-data'),
    );
    const { onRequested } = await render({ planTransfer, requestTransfer });
    await waitForPlan();
    const user = userEvent.setup();

    // from the claim name on, through every field to the button
    screen.getByLabelText('Claim name').focus();
    await user.keyboard('{Control>}a{/Control}orders-db-data');
    const clone = screen.getByRole('radio', { name: 'Clone' });
    for (let i = 0; i < 20 && document.activeElement !== clone; i++) {
      // arrow keys move within a radio group; tab moves to the next group
      if (
        document.activeElement === screen.getByRole('radio', { name: 'Move' })
      )
        await user.keyboard('{ArrowRight}');
      else await user.tab();
    }
    expect(clone).toHaveFocus();
    expect(clone).toBeChecked();
    const comment = screen.getByLabelText('Comment');
    for (let i = 0; i < 20 && document.activeElement !== comment; i++)
      await user.tab();
    await user.keyboard('keyboard only');
    await waitFor(() => expect(submitButton()).toBeEnabled());
    for (let i = 0; i < 20 && document.activeElement !== submitButton(); i++)
      await user.tab();
    await user.keyboard('{Enter}');

    expect(requestTransfer).toHaveBeenCalledWith(
      expect.objectContaining({
        destination: expect.objectContaining({ claim: 'orders-db-data' }),
        intent: 'clone',
        comment: 'keyboard only',
      }),
    );
    await waitFor(() => expect(onRequested).toHaveBeenCalled());
  });

  it('lets an admin name a cluster and namespace, checked at the fields', async () => {
    const planTransfer = jest.fn(async () => allowedPlan);
    await render({ planTransfer }, { caller: { ...profile, isAdmin: true } });
    await waitForPlan();
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Destination'), 'custom');
    await user.type(
      screen.getByLabelText('Destination entity'),
      'component:default/orders-api',
    );
    await user.type(screen.getByLabelText('Destination cluster'), 'north');
    await user.type(screen.getByLabelText('Destination namespace'), 'Orders');
    expect(
      screen.getByLabelText('Destination namespace'),
    ).toHaveAccessibleDescription(
      /destination\.namespace must be a DNS-1123 label/,
    );
    await user.clear(screen.getByLabelText('Destination namespace'));
    await user.type(screen.getByLabelText('Destination namespace'), 'orders-2');
    await waitFor(() =>
      expect(planTransfer).toHaveBeenLastCalledWith(
        expect.objectContaining({
          destination: {
            entityRef: 'component:default/orders-api',
            cluster: 'north',
            namespace: 'orders-2',
            claim: 'payments-db-data',
          },
        }),
      ),
    );
  });

  it('offers no cluster and namespace of their own to a non-admin', async () => {
    await render({ planTransfer: async () => allowedPlan });
    await waitForPlan();
    expect(
      screen.queryByRole('option', { name: /Another cluster and namespace/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the cut-over windows and says when a chosen time falls outside them', async () => {
    const planTransfer = jest.fn(async () => allowedPlan);
    await render(
      { planTransfer },
      {
        caller: {
          ...profile,
          cutoverWindows: [
            { days: ['sat'], start: '02:00', end: '06:00', timeZone: 'UTC' },
          ],
        },
      },
    );
    await waitForPlan();
    const user = userEvent.setup();
    await user.click(
      screen.getByRole('radio', { name: 'Staged: cut over at a chosen time' }),
    );
    expect(screen.getByText('sat 02:00–06:00 (UTC)')).toBeInTheDocument();
    const at = screen.getByLabelText('Cut over at');
    expect(at).toHaveAccessibleDescription('Choose when to cut over');

    // a Wednesday noon, a year ahead, in local time: outside Saturday's early hours anywhere
    const wednesday = new Date();
    wednesday.setFullYear(wednesday.getFullYear() + 1);
    wednesday.setDate(wednesday.getDate() + ((3 - wednesday.getDay() + 7) % 7));
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${wednesday.getFullYear()}-${pad(wednesday.getMonth() + 1)}-${pad(wednesday.getDate())}T12:00`;
    fireEvent.change(at, { target: { value: local } });
    expect(at).toHaveAccessibleDescription(
      /outside the cut-over windows \(sat 02:00–06:00 \(UTC\)\)/,
    );
    expect(submitButton()).toBeDisabled();

    // rebind has no staging: said at the staging choice
    await user.click(screen.getByRole('radio', { name: 'Rebind' }));
    expect(
      screen.getByText(
        /Rebind hands the volume over at once and has no staging/,
      ),
    ).toBeInTheDocument();
  });
});
