import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ListControls, listControlsOf, TransfersTable } from '../Transfers';
import { usePendingApprovals } from './usePendingApprovals';

/** @public */
export interface PendingApprovalsProps {
  /** only the requests whose source or destination is this entity; all of the user's when absent */
  entityRef?: string;
}

/**
 * "Waiting for my approval": the requests the signed-in user may decide, each with the plan they would
 * approve, who asks and why, and Approve / Reject with a comment. A decided request leaves the list, here
 * or wherever another approver decided it (live through signals).
 *
 * @public
 */
export function PendingApprovals({ entityRef }: PendingApprovalsProps) {
  const list = usePendingApprovals({ entityRef, limit: 20 });
  return (
    <InfoCard
      title="Waiting for my approval"
      subheader={
        entityRef
          ? 'Requests to move or copy volumes of this entity that you may decide'
          : 'Requests to move or copy volumes that you may decide'
      }
    >
      {list.error && <ResponseErrorPanel error={list.error} />}
      {!(list.error && list.items.length === 0) && (
        <TransfersTable
          title="Waiting for my approval"
          transfers={list.items}
          columns={[
            'transfer',
            'requester',
            'comment',
            'plan',
            'created',
            'actions',
          ]}
          loading={list.loading}
          onTransferChange={list.replace}
          emptyContent={
            <Typography variant="body2">
              No requests wait for your approval.
            </Typography>
          }
        />
      )}
      <ListControls {...listControlsOf(list)} />
    </InfoCard>
  );
}
