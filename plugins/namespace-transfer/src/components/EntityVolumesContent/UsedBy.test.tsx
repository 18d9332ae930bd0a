import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatTime } from './formatTime';
import { UsedBy } from './UsedBy';

const nobody: Volume['usedBy'] = { pods: [], workloads: [], unstoppable: [] };

describe('UsedBy', () => {
  it('says who stopped a held workload and when, in a form a person reads', async () => {
    const at = '2025-03-12T14:05:00Z';
    await renderInTestApp(
      <UsedBy
        usedBy={{
          ...nobody,
          workloads: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'orders-api',
              replicas: 0,
              quiescedBy: 'tr-42',
              quiescedAt: at,
            },
            {
              apiVersion: 'apps/v1',
              kind: 'StatefulSet',
              name: 'orders-cache',
              replicas: 1,
            },
          ],
        }}
      />,
    );
    expect(
      screen.getByText('Deployment orders-api (0 replicas)'),
    ).toBeInTheDocument();
    const held = screen.getByText(
      `stopped by transfer tr-42 at ${formatTime(at)}`,
    );
    // the exact time stays at hand
    expect(held).toHaveAttribute('title', at);
    expect(formatTime(at)).not.toContain('T14:05');
    expect(formatTime(at)).toMatch(/2025/);
    // a workload no transfer holds says nothing of the kind
    expect(
      screen.getByText('StatefulSet orders-cache (1 replica)'),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/stopped by transfer/)).toHaveLength(1);
  });

  it('names the transfer holding a workload when the time is not recorded', async () => {
    await renderInTestApp(
      <UsedBy
        usedBy={{
          ...nobody,
          workloads: [
            {
              apiVersion: 'batch/v1',
              kind: 'CronJob',
              name: 'nightly',
              replicas: 0,
              quiescedBy: 'tr-7',
            },
          ],
        }}
      />,
    );
    expect(screen.getByText('stopped by transfer tr-7')).toBeInTheDocument();
  });

  it('warns of what a transfer cannot stop, with its kind, name and the reason, naming it once', async () => {
    await renderInTestApp(
      <UsedBy
        usedBy={{
          pods: [
            { name: 'backfill-a', phase: 'Running' },
            { name: 'debug', phase: 'Running' },
          ],
          workloads: [
            { apiVersion: 'batch/v1', kind: 'Job', name: 'backfill' },
          ],
          unstoppable: [
            {
              kind: 'Job',
              name: 'backfill',
              reason:
                'a Job that is still running: let it finish (or delete it), then request the transfer again',
            },
            {
              kind: 'Pod',
              name: 'debug',
              reason:
                'a pod without a controller: nothing would start it again after the transfer',
            },
          ],
        }}
      />,
    );
    expect(
      screen.getByText('Job backfill: a transfer cannot stop it'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/a Job that is still running: let it finish/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Pod debug: a transfer cannot stop it'),
    ).toBeInTheDocument();
    expect(screen.getByText(/a pod without a controller/)).toBeInTheDocument();
    // the Job is not listed a second time as a plain workload
    expect(screen.queryByText(/^Job backfill$/)).not.toBeInTheDocument();
    expect(screen.getByText('Pod backfill-a · Running')).toBeInTheDocument();
  });

  it('says "not mounted" when nothing uses the claim', async () => {
    await renderInTestApp(<UsedBy usedBy={nobody} />);
    expect(screen.getByText('not mounted')).toBeInTheDocument();
  });
});
