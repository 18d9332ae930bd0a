import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { TransferStateChip } from './TransferStateChip';

describe('TransferStateChip', () => {
  it('names the state in words, coloured by how it stands', async () => {
    await renderInTestApp(
      <>
        <TransferStateChip state="pending-approval" />
        <TransferStateChip state="failed" />
        <TransferStateChip state="succeeded" />
      </>,
    );
    const pending = screen.getByText('Pending approval').closest('div')!;
    const failed = screen.getByText('Failed').closest('div')!;
    const succeeded = screen.getByText('Succeeded').closest('div')!;
    const colours = [pending, failed, succeeded].map(
      chip => getComputedStyle(chip).backgroundColor,
    );
    expect(new Set(colours).size).toBe(3);
  });
});
