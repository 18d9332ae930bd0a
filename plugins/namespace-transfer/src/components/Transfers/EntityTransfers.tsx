import { useState } from 'react';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { namespaceTransferApiRef } from '../../api';
import { useTransferList } from '../../hooks';
import { TransferSortField, TransferSortOrder } from './columns';
import { ListControls, listControlsOf } from './ListControls';
import { TransfersTable } from './TransfersTable';

const PAGE_SIZE = 20;

/**
 * The transfers whose source or destination is the entity, newest first, kept live through signals: each
 * with its progress and the actions the user may take on it.
 */
export function EntityTransfers({ entityRef }: { entityRef: string }) {
  const api = useApi(namespaceTransferApiRef);
  const [sort, setSort] = useState<{
    field: TransferSortField;
    order: TransferSortOrder;
  }>({ field: 'createdAt', order: 'desc' });
  const list = useTransferList(
    cursor =>
      api.listTransfers({
        entityRef,
        sort: sort.field,
        order: sort.order,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      }),
    [entityRef, sort.field, sort.order],
  );

  return (
    <InfoCard
      title="Transfers"
      subheader="Moves and copies from or into this entity's volumes"
    >
      {list.error && <ResponseErrorPanel error={list.error} />}
      {!(list.error && list.items.length === 0) && (
        <TransfersTable
          title="Transfers of this entity"
          transfers={list.items}
          columns={[
            'transfer',
            'state',
            'progress',
            'requester',
            'downtime',
            'updated',
            'actions',
          ]}
          loading={list.loading}
          sort={sort}
          onSortChange={(field, order) => setSort({ field, order })}
          onTransferChange={list.replace}
          emptyContent={
            <Typography variant="body2">
              No transfers from or into this entity yet. Request one with
              "Transfer" on a volume above.
            </Typography>
          }
        />
      )}
      <ListControls {...listControlsOf(list)} />
    </InfoCard>
  );
}
