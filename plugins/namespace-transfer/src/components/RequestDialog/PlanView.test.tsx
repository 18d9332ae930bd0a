import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { PlanView } from './PlanView';
import { allowedPlan, refusedPlan } from './testFixtures';

describe('PlanView', () => {
  it('lists every refusal, and the quota and permission ones again as such', async () => {
    await renderInTestApp(
      <PlanView
        plan={{
          ...refusedPlan,
          refusals: [
            ...refusedPlan.refusals,
            {
              code: 'MissingPermission',
              message: 'cannot create pods in orders',
            },
          ],
        }}
      />,
    );
    expect(screen.getByText('Refused')).toBeInTheDocument();
    expect(
      screen.getByText(
        'DestinationExists: west/orders/payments-db-data exists already',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('MissingPermission: cannot create pods in orders'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('cannot create pods in orders'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No quota or permission stands in the way.'),
    ).not.toBeInTheDocument();
  });

  it('says what a rebind of an unused claim stops and leaves out what it does not know', async () => {
    await renderInTestApp(
      <PlanView
        plan={{
          ...allowedPlan,
          mode: 'rebind',
          modeReason: 'same cluster and the volume can be handed over',
          otherMode: undefined,
          workloads: [],
          identity: undefined,
          estimatedSeconds: undefined,
          estimatedDowntimeSeconds: undefined,
          warnings: [],
        }}
      />,
    );
    expect(screen.queryByText('Refused')).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'rebind, move: same cluster and the volume can be handed over',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Nothing: no workload uses the claim.'),
    ).toBeInTheDocument();
    expect(screen.getByText('unknown, downtime unknown')).toBeInTheDocument();
    expect(
      screen.getByText('decided when the transfer runs'),
    ).toBeInTheDocument();
    // a rebind moves no bytes: no transport
    expect(screen.queryByText('Transport')).not.toBeInTheDocument();
    expect(screen.queryByText('Warnings')).not.toBeInTheDocument();
  });
});
