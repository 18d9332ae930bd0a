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
});
