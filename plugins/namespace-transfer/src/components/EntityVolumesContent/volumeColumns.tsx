import { CSSProperties } from 'react';
import { TableColumn } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';
import { isTransferable } from './selection';
import { NarrowLabel } from './StackedTable';
import { UsedBy } from './UsedBy';
import { TransferredTo, VolumeStatus } from './VolumeStatus';

/** kubectl's short forms keep the column narrow; the tooltip has the full names. */
const ACCESS_MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};
const shortAccessMode = (mode: string) => ACCESS_MODES[mode] ?? mode;

const NO_WRAP: CSSProperties = { whiteSpace: 'nowrap' };

/** The claim's name, with its namespace below (a table may span namespaces, most span one). */
function Claim({ volume }: { volume: Volume }) {
  return (
    <>
      <Typography variant="body2">
        <strong>{volume.name}</strong>
      </Typography>
      <Typography variant="caption" color="textSecondary" display="block">
        namespace <span>{volume.namespace}</span>
      </Typography>
    </>
  );
}

/** Capacity, with the storage class and access modes below: what a copy has to provide. */
function Capacity({ volume }: { volume: Volume }) {
  return (
    <>
      <Typography variant="body2">{volume.capacity ?? '—'}</Typography>
      <Typography variant="caption" color="textSecondary" display="block">
        <span>{volume.storageClass ?? '(cluster default)'}</span>
        {volume.accessModes.length > 0 && (
          <>
            {' · '}
            <Tooltip title={volume.accessModes.join(', ')}>
              <span>{volume.accessModes.map(shortAccessMode).join(', ')}</span>
            </Tooltip>
          </>
        )}
      </Typography>
    </>
  );
}

/** "Transfer" where the user may request one, else whether the claim may be transferred; why not, in sight */
function Transferable(props: {
  volume: Volume;
  onTransfer?: (volume: Volume) => void;
}) {
  const { volume, onTransfer } = props;
  const { transferable, reason } = volume.transferable;
  if (onTransfer && isTransferable(volume)) {
    return (
      <Button
        size="small"
        variant="outlined"
        color="primary"
        style={NO_WRAP}
        onClick={() => onTransfer(volume)}
      >
        Transfer
      </Button>
    );
  }
  return (
    <Tooltip title={reason}>
      <div>
        <NarrowLabel>Transferable</NarrowLabel>
        <Typography variant="body2">{transferable ? 'Yes' : 'No'}</Typography>
        {/* why not stays in sight: a tooltip is out of reach for the keyboard */}
        {!transferable && (
          <Typography variant="caption" color="textSecondary">
            {reason}
          </Typography>
        )}
      </div>
    </Tooltip>
  );
}

/**
 * The claims' columns, dense enough for 1280 px beside the sidebar: used-by gets the room, the rest is
 * short. With `onTransfer` each transferable claim has "Transfer" in the last column.
 */
export function volumeColumns(
  onTransfer?: (volume: Volume) => void,
): TableColumn<Volume>[] {
  return [
    {
      title: 'Claim',
      field: 'name',
      width: '28%',
      render: v => <Claim volume={v} />,
    },
    {
      title: 'Capacity',
      field: 'capacity',
      width: '13%',
      render: v => <Capacity volume={v} />,
    },
    {
      title: 'Status',
      field: 'phase',
      width: '13%',
      render: v => (
        <>
          <span style={NO_WRAP}>
            <VolumeStatus phase={v.phase} />
          </span>
          <TransferredTo transferredTo={v.transferredTo} />
        </>
      ),
    },
    {
      title: 'Used by',
      width: '32%',
      render: v => (
        <>
          <NarrowLabel>Used by</NarrowLabel>
          <UsedBy usedBy={v.usedBy} />
        </>
      ),
      sorting: false,
    },
    {
      title: 'Transferable',
      field: 'transferable.transferable',
      width: '14%',
      render: v => <Transferable volume={v} onTransfer={onTransfer} />,
    },
  ];
}
