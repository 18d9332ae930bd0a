import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Box from '@material-ui/core/Box';
import {
  TransferDecisionKind,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { DECISION_ACTIONS } from './decisions';
import { DecisionDialog } from './DecisionDialog';

/**
 * One button per decision the caller may take on the transfer now (its `allowedActions`), each confirmed
 * in a dialog with an optional comment. Renders nothing when there is none: a user sees no action they
 * cannot take. `onDone` receives the transfer as the decision left it.
 */
export function TransferActions(props: {
  transfer: TransferSummary;
  onDone(transfer: TransferSummary): void;
}) {
  const { transfer, onDone } = props;
  const [open, setOpen] = useState<TransferDecisionKind>();
  if (transfer.allowedActions.length === 0) return null;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {transfer.allowedActions.map(kind => (
        <Button
          key={kind}
          size="small"
          variant="outlined"
          color={
            kind === 'reject' || kind === 'cancel' ? 'secondary' : 'primary'
          }
          onClick={() => setOpen(kind)}
        >
          {DECISION_ACTIONS[kind].label}
        </Button>
      ))}
      {open && (
        <DecisionDialog
          transfer={transfer}
          kind={open}
          onClose={() => setOpen(undefined)}
          onDone={updated => {
            setOpen(undefined);
            onDone(updated);
          }}
        />
      )}
    </Box>
  );
}
