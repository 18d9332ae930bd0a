import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  decisionBodySchema,
  TransferDecisionKind,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { namespaceTransferApiRef } from '../../api';
import { errorMessage } from '../../lib/errors';
import { DECISION_ACTIONS } from './decisions';

function describe(transfer: TransferSummary): string {
  const { source, destination } = transfer;
  return `${source.cluster}/${source.namespace}/${source.claim} → ${destination.cluster}/${destination.namespace}/${destination.claim}`;
}

/**
 * Confirms one decision on a transfer, with an optional comment. A refusal is shown with the backend's
 * message and the dialog stays open, so the comment is not lost.
 */
export function DecisionDialog(props: {
  transfer: TransferSummary;
  kind: TransferDecisionKind;
  onClose(): void;
  onDone(transfer: TransferSummary): void;
}) {
  const { transfer, kind, onClose, onDone } = props;
  const api = useApi(namespaceTransferApiRef);
  const action = DECISION_ACTIONS[kind];
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const body = decisionBodySchema.safeParse(
    comment.trim() ? { comment: comment.trim() } : {},
  );
  const commentError = body.success ? undefined : body.error.issues[0].message;

  const confirm = async () => {
    if (!body.success) return;
    setBusy(true);
    setError(undefined);
    try {
      const updated = await action.decide(api, transfer.id, body.data);
      onDone(updated);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const titleId = `decision-${kind}-${transfer.id}`;
  return (
    <Dialog open onClose={busy ? undefined : onClose} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>{action.title}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" gutterBottom>
          {describe(transfer)}
        </Typography>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {action.consequence}
        </Typography>
        <TextField
          id={`${titleId}-comment`}
          label="Comment"
          helperText={
            commentError ?? 'Optional; the requester and the audit see it.'
          }
          error={Boolean(commentError)}
          value={comment}
          onChange={e => setComment(e.target.value)}
          disabled={busy}
          multiline
          minRows={2}
          fullWidth
          margin="normal"
        />
        {error && (
          <Typography role="alert" color="error" variant="body2">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Close
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={confirm}
          disabled={busy || !body.success}
        >
          {action.label}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
