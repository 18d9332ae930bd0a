import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import {
  ACTIVE_TRANSFER_STATES,
  TransferState,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import useAsync from 'react-use/esm/useAsync';
import { namespaceTransferApiRef } from '../../api';
import { useTransferList } from '../../hooks';
import { ListControls, listControlsOf, TransfersTable } from '../Transfers';

/** Requested and not ended: waiting for approval, approved, running or staged. */
const IN_FLIGHT: TransferState[] = [
  'pending-approval',
  ...ACTIVE_TRANSFER_STATES,
];

function RequestedBy({ userEntityRef }: { userEntityRef: string }) {
  const api = useApi(namespaceTransferApiRef);
  const list = useTransferList(
    cursor =>
      api.listTransfers({
        requester: userEntityRef,
        state: IN_FLIGHT,
        sort: 'updatedAt',
        order: 'desc',
        limit: 10,
        ...(cursor ? { cursor } : {}),
      }),
    [userEntityRef],
    { keep: t => IN_FLIGHT.includes(t.state) },
  );
  const failed = list.error && list.items.length === 0;
  const empty = !list.loading && !list.error && list.items.length === 0;
  return (
    <>
      {list.error && <ResponseErrorPanel error={list.error} />}
      {empty && (
        <Typography variant="body2">
          None of your transfers is under way. Request one from the Volumes &
          transfers tab of a component you own.
        </Typography>
      )}
      {!failed && !empty && (
        <TransfersTable
          title="Your transfers in flight"
          transfers={list.items}
          columns={['transfer', 'state', 'progress']}
          loading={list.loading}
        />
      )}
      <ListControls {...listControlsOf(list)} />
    </>
  );
}

/** @public */
export interface MyTransfersCardProps {
  /** whose transfers; the signed-in user's when absent */
  userEntityRef?: string;
}

/**
 * The body of a home page card: the transfers the user requested that have not ended, with their state,
 * phase and progress as they change (live through signals). One that ends during the visit leaves the card
 * once it was read again: the card lists what is in flight, and the transfer's page tells how it ended.
 *
 * @public
 */
export function MyTransfersCard(props: MyTransfersCardProps) {
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(
    async () =>
      props.userEntityRef ??
      (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi, props.userEntityRef],
  );
  if (identity.loading) return <Progress />;
  if (identity.error) return <ResponseErrorPanel error={identity.error} />;
  return <RequestedBy userEntityRef={identity.value!} />;
}
