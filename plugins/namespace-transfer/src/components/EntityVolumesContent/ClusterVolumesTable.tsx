import { useState } from 'react';
import { Table, WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  ClusterVolumes,
  Volume,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { RequestSource } from '../RequestDialog';
import { claimKey, isTransferable } from './selection';
import { SelectionBar } from './SelectionBar';
import { StackedTable } from './StackedTable';
import { transferColumns } from './transferColumns';
import { volumeColumns } from './volumeColumns';

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
  const columns = volumeColumns(transfer?.onTransfer);
  const table = (
    <StackedTable>
      <Table<Volume>
        title={`Cluster ${cluster.cluster}`}
        subtitle={`${cluster.volumes.length} volume${cluster.volumes.length === 1 ? '' : 's'}`}
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          // a draggable header wraps its sort button in another control: nested-interactive for axe
          draggable: false,
        }}
        columns={transfer ? [transfer.first, ...columns] : columns}
        data={cluster.volumes}
        emptyContent={
          <Typography variant="body2" style={{ padding: 16 }}>
            No volumes of this entity on cluster {cluster.cluster}.
          </Typography>
        }
      />
    </StackedTable>
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
