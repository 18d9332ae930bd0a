import {
  Content,
  ContentHeader,
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { TransferSummary } from '@namespace-transfer/plugin-namespace-transfer-common';
import { useParams } from 'react-router-dom';
import { useTransfer } from '../../hooks';
import { rootRouteRef } from '../../routes';
import { errorMessage, errorStatus } from '../../lib/errors';
import { BreakablePath } from '../shared';
import { claimPath } from './describe';
import { TransferView } from './TransferView';

/** the list of every transfer, where the plugin's page is mounted (it throws after its hooks ran where not) */
function useAllTransfersPath(): string | undefined {
  try {
    return useRouteRef(rootRouteRef)();
  } catch {
    return undefined;
  }
}

function Refused(props: { error: Error }) {
  const status = errorStatus(props.error);
  if (status === 404) {
    return (
      <EmptyState
        missing="content"
        title="No such transfer"
        description="It may have been mistyped, or the link is from another portal."
      />
    );
  }
  if (status === 403) {
    return (
      <EmptyState
        missing="info"
        title="You may not see this transfer"
        description={errorMessage(props.error)}
      />
    );
  }
  return <ResponseErrorPanel error={props.error} />;
}

/**
 * A transfer's own page (`/namespace-transfer/transfers/:id`, the address notifications link to), live
 * through signals.
 */
export function TransferPage(props: { id?: string }) {
  const params = useParams();
  const id = props.id ?? params.id ?? '';
  const { detail, events, loading, error, live, refresh, replace } =
    useTransfer(id);

  const onDecided = (transfer: TransferSummary) => {
    replace(transfer);
    // the decision itself and its events are only in a fresh read
    refresh();
  };

  const allTransfers = useAllTransfersPath();
  const title = detail
    ? `${claimPath(detail.transfer.source)} → ${claimPath(detail.transfer.destination)}`
    : 'Transfer';
  return (
    <Content>
      <ContentHeader
        title={title}
        titleComponent={
          <Typography variant="h4" component="h2">
            {detail ? (
              <>
                <BreakablePath path={claimPath(detail.transfer.source)} /> →{' '}
                <BreakablePath path={claimPath(detail.transfer.destination)} />
              </>
            ) : (
              title
            )}
          </Typography>
        }
      >
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ marginRight: 16 }}
        >
          {live ? 'Live' : 'Not live: refresh to see changes'}
        </Typography>
        <Button variant="outlined" onClick={refresh} disabled={loading}>
          Refresh
        </Button>
      </ContentHeader>
      {allTransfers && (
        <Typography variant="body2" paragraph>
          <Link to={allTransfers}>← All transfers</Link>
        </Typography>
      )}
      {loading && <Progress />}
      {!loading && error && !detail && <Refused error={error} />}
      {error && detail && (
        <Typography role="alert" color="error" variant="body2" paragraph>
          Could not bring the page up to date: {errorMessage(error)}
        </Typography>
      )}
      {detail && (
        <TransferView detail={detail} events={events} onDecided={onDecided} />
      )}
    </Content>
  );
}
