import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { getContrastRatio } from '@material-ui/core/styles';
import { TRANSFER_STATES } from '@namespace-transfer/plugin-namespace-transfer-common';
import { TRANSFER_STATE_LABELS, TransferStateChip } from './TransferStateChip';

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

  it('keeps every state readable: text and chip at WCAG AA contrast (4.5:1)', async () => {
    await renderInTestApp(
      <>
        {TRANSFER_STATES.map(state => (
          <TransferStateChip key={state} state={state} />
        ))}
      </>,
    );
    for (const state of TRANSFER_STATES) {
      const chip = screen
        .getByText(TRANSFER_STATE_LABELS[state])
        .closest('div')!;
      const { color, backgroundColor } = getComputedStyle(chip);
      expect([state, getContrastRatio(color, backgroundColor) >= 4.5]).toEqual([
        state,
        true,
      ]);
    }
  });
});
