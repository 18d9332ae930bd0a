import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { TransferredTo, VolumeStatus } from './VolumeStatus';

describe('VolumeStatus', () => {
  it('shows the phase', async () => {
    await renderInTestApp(<VolumeStatus phase="Terminating" />);
    expect(screen.getByText('Terminating')).toBeInTheDocument();
  });
});

describe('TransferredTo', () => {
  it('says where a moved claim went and which transfer moved it', async () => {
    await renderInTestApp(
      <TransferredTo
        transferredTo={{
          destination: 'west/payments/payments-db-data',
          transferId: 'tr-9',
        }}
      />,
    );
    expect(
      screen.getByText(
        'moved to west/payments/payments-db-data by transfer tr-9',
      ),
    ).toBeInTheDocument();
  });

  it('shows nothing for a claim never moved', async () => {
    const { container } = await renderInTestApp(<TransferredTo />);
    expect(container).toBeEmptyDOMElement();
  });
});
