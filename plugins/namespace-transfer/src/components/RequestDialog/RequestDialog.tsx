import { useCallback, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Theme } from '@material-ui/core/styles';
import {
  TransferCallerProfile,
  TransferDestinationsResponse,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../../api';
import { DestinationFields } from './DestinationFields';
import { errorMessage } from './errorMessage';
import {
  checkForm,
  Draft,
  initialForm,
  isBatch,
  planRequestsOf,
  RequestForm,
  RequestSource,
  SetField,
} from './formModel';
import { HowFields } from './HowFields';
import { PlansPanel } from './PlansPanel';
import { StagingFields } from './StagingFields';
import { submitBlocker } from './submitBlocker';
import { usePlans } from './usePlans';

export interface RequestDialogProps {
  /** the claim, or the claims of one namespace, to transfer */
  source: RequestSource;
  /** where the caller may request into (`getDestinations()`) */
  destinations: TransferDestinationsResponse;
  /** the caller (`GET /me`): admins may name any cluster and namespace; the cut-over windows */
  profile?: TransferCallerProfile;
  onClose: () => void;
  /** the transfers the request created; the dialog is done */
  onRequested: (transfers: TransferSummary[]) => void;
  /** how long the form must rest before it is planned */
  planDelayMs?: number;
}

const TITLE_ID = 'request-transfer-title';
const BLOCKER_ID = 'request-transfer-blocker';

function sourceText({ cluster, namespace, claims }: RequestSource): string {
  return claims.length === 1
    ? `Claim ${claims[0]} in ${cluster}/${namespace}`
    : `${claims.length} claims in ${cluster}/${namespace}: ${claims.join(', ')} (each keeps its name)`;
}

async function send(
  api: NamespaceTransferApi,
  draft: Draft,
): Promise<TransferSummary[]> {
  if (draft.kind === 'one') return [await api.requestTransfer(draft.request)];
  return (await api.requestBatch(draft.request)).transfers;
}

/**
 * "Request a transfer": the destination and how, checked by common's schemas as it is typed, and the
 * backend's plan of it before anything is sent. The request can be sent only when the plan allows it.
 */
export function RequestDialog(props: RequestDialogProps) {
  const { source, destinations, profile, onClose, onRequested } = props;
  const api = useApi(namespaceTransferApiRef);
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'));
  const isAdmin = profile?.isAdmin ?? false;
  const [form, setForm] = useState<RequestForm>(() =>
    initialForm(source, destinations.destinations, isAdmin),
  );
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string>();
  const set: SetField = useCallback(
    (key, value) => setForm(f => ({ ...f, [key]: value })),
    [],
  );

  const checked = checkForm(form, {
    source,
    destinations: destinations.destinations,
    cutoverWindows: profile?.cutoverWindows ?? [],
    now: new Date(),
  });
  const plans = usePlans(
    checked.draft && planRequestsOf(checked.draft),
    props.planDelayMs ?? 400,
  );
  const blocker = submitting ? 'Requesting…' : submitBlocker(checked, plans);
  const { errors } = checked;

  const submit = async () => {
    if (!checked.draft || blocker) return;
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      onRequested(await send(api, checked.draft));
    } catch (e) {
      // the dialog stays as it was: the person corrects and sends again
      setSubmitError(errorMessage(e));
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      fullScreen={narrow}
      aria-labelledby={TITLE_ID}
    >
      <DialogTitle id={TITLE_ID}>Request a transfer</DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" gutterBottom>
          {sourceText(source)}
        </Typography>
        {destinations.destinations.length === 0 && !isAdmin && (
          <Typography variant="body2" color="error">
            You own no catalog entity with a namespace on a cluster, so there is
            nowhere to request a transfer into.
          </Typography>
        )}
        <Grid container spacing={3}>
          <Grid item xs={12} md={6}>
            <DestinationFields
              form={form}
              errors={errors}
              set={set}
              destinations={destinations.destinations}
              clusters={destinations.clusters}
              isAdmin={isAdmin}
              batch={isBatch(source)}
            />
            <HowFields form={form} errors={errors} set={set} />
            <StagingFields
              form={form}
              errors={errors}
              set={set}
              windows={profile?.cutoverWindows ?? []}
            />
            <TextField
              id="request-comment"
              label="Comment"
              value={form.comment}
              onChange={e => set('comment', e.target.value)}
              error={!!errors.comment}
              helperText={
                errors.comment ?? 'For the owners who approve, e.g. why'
              }
              multiline
              minRows={2}
              fullWidth
              margin="dense"
            />
            {(errors.source ?? errors.form) && (
              <Typography variant="body2" color="error">
                {errors.source ?? errors.form}
              </Typography>
            )}
          </Grid>
          <Grid item xs={12} md={6}>
            <Typography variant="h6" component="h2" gutterBottom>
              Plan
            </Typography>
            <PlansPanel plans={plans} valid={!!checked.draft} />
          </Grid>
        </Grid>
        {submitError && (
          <Box mt={2}>
            <Typography role="alert" variant="body2" color="error">
              {`The request was refused: ${submitError}`}
            </Typography>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        {blocker && (
          <Typography id={BLOCKER_ID} variant="caption" color="textSecondary">
            {blocker}
          </Typography>
        )}
        <Button onClick={onClose}>Close</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!!blocker}
          aria-describedby={blocker ? BLOCKER_ID : undefined}
          onClick={submit}
        >
          Request transfer
        </Button>
      </DialogActions>
    </Dialog>
  );
}
