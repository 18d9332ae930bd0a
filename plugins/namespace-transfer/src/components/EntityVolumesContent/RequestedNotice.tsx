import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { TransferSummary } from '@namespace-transfer/plugin-namespace-transfer-common';

function text(transfers: TransferSummary[]): string {
  if (transfers.length === 1) {
    const [t] = transfers;
    return `Requested transfer ${t.id} of ${t.source.claim}: it waits for approval by the owners of its source.`;
  }
  return `Requested ${transfers.length} transfers (${transfers.map(t => t.source.claim).join(', ')}): each waits for approval by the owners of its source.`;
}

/** Says what a request created, until dismissed. */
export function RequestedNotice({
  transfers,
  onDismiss,
}: {
  transfers: TransferSummary[];
  onDismiss: () => void;
}) {
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Typography role="status" variant="body2">
        {text(transfers)}
      </Typography>
      <Button size="small" onClick={onDismiss}>
        Dismiss
      </Button>
    </Box>
  );
}
