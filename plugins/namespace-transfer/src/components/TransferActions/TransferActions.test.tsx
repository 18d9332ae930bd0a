import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { TransferSummary } from '@namespace-transfer/plugin-namespace-transfer-common';
import { namespaceTransferApiRef } from '../../api';
import { refusal, sampleTransfer } from '../../lib/testing';
import { TransferActions } from './TransferActions';

const pending = sampleTransfer({
  id: 't1',
  allowedActions: ['approve', 'reject'],
});

async function renderActions(
  transfer: TransferSummary,
  api: Record<string, jest.Mock> = {},
) {
  const onDone = jest.fn();
  const view = await renderInTestApp(
    <TestApiProvider apis={[[namespaceTransferApiRef, api]]}>
      <TransferActions transfer={transfer} onDone={onDone} />
    </TestApiProvider>,
  );
  return { onDone, view };
}

describe('TransferActions', () => {
  it('offers exactly the actions the caller may take, named for the e2e test', async () => {
    await renderActions(
      sampleTransfer({
        id: 't1',
        state: 'failed',
        allowedActions: ['retry', 'resume', 'cancel', 'cutover'],
      }),
    );
    expect(screen.getAllByRole('button').map(b => b.textContent)).toEqual([
      'Retry',
      'Resume',
      'Cancel transfer',
      'Cut over now',
    ]);
  });

  it('renders nothing without allowed actions', async () => {
    const { view } = await renderActions(
      sampleTransfer({ id: 't1', allowedActions: [] }),
    );
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(view.container).toBeEmptyDOMElement();
  });

  it('approves with a comment and hands back the transfer the decision left', async () => {
    const approved = { ...pending, state: 'approved' as const };
    const approveTransfer = jest.fn(async () => approved);
    const { onDone } = await renderActions(pending, { approveTransfer });

    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const dialog = screen.getByRole('dialog', {
      name: 'Approve this transfer?',
    });
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Comment' }),
      '  looks right ',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));

    await waitFor(() => expect(onDone).toHaveBeenCalledWith(approved));
    expect(approveTransfer).toHaveBeenCalledWith('t1', {
      comment: 'looks right',
    });
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
  });

  it("shows the backend's refusal in the dialog, which stays open", async () => {
    const rejectTransfer = jest.fn(() =>
      refusal(409, "Transfer 't1' was already approved").then(e =>
        Promise.reject(e),
      ),
    );
    const { onDone } = await renderActions(pending, { rejectTransfer });

    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Transfer 't1' was already approved",
    );
    expect(
      screen.getByRole('dialog', { name: 'Reject this request?' }),
    ).toBeInTheDocument();
    expect(rejectTransfer).toHaveBeenCalledWith('t1', {});
    expect(onDone).not.toHaveBeenCalled();
  });

  it('closes without deciding', async () => {
    const approveTransfer = jest.fn();
    await renderActions(pending, { approveTransfer });

    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(approveTransfer).not.toHaveBeenCalled();
  });

  it('says at the field when a comment is too long, and does not send it', async () => {
    const approveTransfer = jest.fn();
    await renderActions(pending, { approveTransfer });

    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const field = screen.getByRole('textbox', { name: 'Comment' });
    await userEvent.click(field);
    await userEvent.paste('x'.repeat(2001));

    expect(
      screen.getByText('comment must be at most 2000 characters'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(approveTransfer).not.toHaveBeenCalled();
  });
});
