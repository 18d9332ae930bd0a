import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { TransferProgressBar } from './TransferProgressBar';

describe('TransferProgressBar', () => {
  it('shows bytes, percent, rate and time left, with the percent for assistive technology', async () => {
    await renderInTestApp(
      <TransferProgressBar
        progress={{
          bytesDone: 512 * 1024 ** 2,
          bytesTotal: 2 * 1024 ** 3,
          rateBytesPerSecond: 64 * 1024 ** 2,
          etaSeconds: 24,
        }}
      />,
    );
    const bar = screen.getByRole('progressbar', { name: 'Transfer progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(
      screen.getByText('512 MiB of 2.0 GiB (25%) · 64.0 MiB/s · 24 s left'),
    ).toBeInTheDocument();
  });

  it('says it waits for the mover before any report, without a percent', async () => {
    await renderInTestApp(<TransferProgressBar progress={{}} />);
    expect(screen.getByRole('progressbar')).not.toHaveAttribute(
      'aria-valuenow',
    );
    expect(
      screen.getByText('Waiting for the first progress report'),
    ).toBeInTheDocument();
  });

  it('shows what an ended run moved and how long it took, never a rate or time left', async () => {
    await renderInTestApp(
      <TransferProgressBar
        state="succeeded"
        tookMs={20_000}
        progress={{
          bytesDone: 384 * 1024 ** 2,
          bytesTotal: 384 * 1024 ** 2,
          rateBytesPerSecond: 0,
          etaSeconds: 0,
        }}
      />,
    );
    expect(
      screen.getByText('384 MiB of 384 MiB (100%) · took 20 s'),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
  });

  it('shows a staged copy without a rate or time left, as it waits for its cut over', async () => {
    await renderInTestApp(
      <TransferProgressBar
        state="staged"
        progress={{
          bytesDone: 1024 ** 3,
          bytesTotal: 1024 ** 3,
          rateBytesPerSecond: 0,
          etaSeconds: 0,
        }}
      />,
    );
    expect(screen.getByText('1.0 GiB of 1.0 GiB (100%)')).toBeInTheDocument();
  });

  it('says no progress came for an ended run without a report, with a bar that stands still', async () => {
    await renderInTestApp(
      <TransferProgressBar state="failed" tookMs={4000} progress={{}} />,
    );
    expect(
      screen.getByText('No progress reported · took 4 s'),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute(
      'aria-valuenow',
      '0',
    );
  });
});
