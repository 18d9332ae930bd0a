import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { TransferSummary } from '@namespace-transfer/plugin-namespace-transfer-common';
import { transferRouteRef } from '../../routes';

/** the route's path within the app, or undefined where the plugin's page is not mounted */
function useTransferPath(id: string): string | undefined {
  try {
    // throws (after its hooks ran) in an app that shows the entity tab but not the plugin's page
    return useRouteRef(transferRouteRef)({ id });
  } catch {
    return undefined;
  }
}

/**
 * A link to a transfer's own page. Where the app does not mount the plugin's page it links to the
 * address the backend gives the transfer (its `url`, the one notifications carry).
 */
export function TransferLink(props: {
  transfer: Pick<TransferSummary, 'id' | 'url'>;
  children?: ReactNode;
}) {
  const { transfer, children } = props;
  const path = useTransferPath(transfer.id);
  return (
    <Link to={path ?? transfer.url}>
      {children ?? `Transfer ${transfer.id}`}
    </Link>
  );
}
