import { useState } from 'react';
import { Table, TableColumn, WarningPanel } from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  ClusterVolumes,
  Volume,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { RequestSource } from '../RequestDialog';
import { claimKey, isTransferable } from './selection';
import { SelectionBar } from './SelectionBar';
import { transferColumns } from './transferColumns';
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

const columns: TableColumn<Volume>[] = [
  { title: 'Name', field: 'name', highlight: true },
  { title: 'Namespace', field: 'namespace' },
  { title: 'Capacity', field: 'capacity', render: v => v.capacity ?? '—' },
  {
    title: 'Storage class',
    field: 'storageClass',
    render: v => v.storageClass ?? '(cluster default)',
  },
  {
    title: 'Status',
    field: 'phase',
    render: v => (
      <>
        <VolumeStatus phase={v.phase} />
        <TransferredTo transferredTo={v.transferredTo} />
      </>
    ),
  },
  {
    title: 'Access modes',
    field: 'accessModes',
    render: v => (
      <Tooltip title={v.accessModes.join(', ')}>
        <Typography variant="body2">
          {v.accessModes.map(shortAccessMode).join(', ')}
        </Typography>
      </Tooltip>
    ),
  },
  {
    title: 'Used by',
    render: v => <UsedBy usedBy={v.usedBy} />,
    sorting: false,
  },
  {
    title: 'Transferable',
    field: 'transferable.transferable',
    render: v => (
      <Tooltip title={v.transferable.reason}>
        <div>
          <Typography variant="body2">
            {v.transferable.transferable ? 'Yes' : 'No'}
          </Typography>
          {/* why not stays in sight: a tooltip is out of reach for the keyboard */}
          {!v.transferable.transferable && (
            <Typography variant="caption" color="textSecondary">
              {v.transferable.reason}
            </Typography>
          )}
        </div>
      </Tooltip>
    ),
  },
];

export interface ClusterVolumesTableProps {
  cluster: ClusterVolumes;
  /** given when the user may request transfers: each claim gets "Transfer", and several can be chosen */
  onTransfer?: (source: RequestSource) => void;
}

/** One cluster: its volumes, or why the cluster could not be read. */
export function ClusterVolumesTable({
  cluster,
  onTransfer,
}: ClusterVolumesTableProps) {
  const [chosenKeys, setChosenKeys] = useState<Set<string>>(new Set());
  if (cluster.error) {
    return (
      // Expanded: the message says what to fix (token, RBAC, CA), so it must not hide behind a click.
      <WarningPanel
        severity="error"
        defaultExpanded
        title={`Cluster ${cluster.cluster}: ${cluster.error.reason}`}
        message={cluster.error.message}
      />
    );
  }
  const chosen = cluster.volumes.filter(
    v => isTransferable(v) && chosenKeys.has(claimKey(v)),
  );
  const transferable = cluster.volumes.some(isTransferable);
  const transfer =
    onTransfer && transferable
      ? transferColumns(cluster.volumes, chosenKeys, setChosenKeys, v =>
          onTransfer({
            cluster: cluster.cluster,
            namespace: v.namespace,
            claims: [v.name],
          }),
        )
      : undefined;
  const table = (
    <Table<Volume>
      title={`Cluster ${cluster.cluster}`}
      subtitle={`${cluster.volumes.length} volume${cluster.volumes.length === 1 ? '' : 's'}`}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={transfer ? [transfer.first, ...columns, transfer.last] : columns}
      data={cluster.volumes}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No volumes of this entity on cluster {cluster.cluster}.
        </Typography>
      }
    />
  );
  if (!onTransfer || !transferable) return table;
  return (
    <>
      <SelectionBar
        cluster={cluster.cluster}
        volumes={cluster.volumes}
        chosen={chosen}
        onSelectNamespace={ns =>
          setChosenKeys(
            new Set(
              cluster.volumes
                .filter(v => isTransferable(v) && v.namespace === ns)
                .map(claimKey),
            ),
          )
        }
        onTransfer={onTransfer}
      />
      {table}
    </>
  );
}
