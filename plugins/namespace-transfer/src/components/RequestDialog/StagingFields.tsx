import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { CutoverWindow } from '@namespace-transfer/plugin-namespace-transfer-common';
import { ChoiceField } from './ChoiceField';
import { describeCutoverWindow } from './cutoverWindows';
import { FieldsProps, Staging } from './formModel';

function Windows({ windows }: { windows: CutoverWindow[] }) {
  if (windows.length === 0)
    return (
      <Typography variant="caption" color="textSecondary">
        A staged transfer may cut over at any time.
      </Typography>
    );
  return (
    <Typography variant="caption" color="textSecondary" component="div">
      Cut-over windows:
      <ul style={{ margin: 0 }}>
        {windows.map(w => (
          <li key={describeCutoverWindow(w)}>{describeCutoverWindow(w)}</li>
        ))}
      </ul>
    </Typography>
  );
}

/**
 * Whether the transfer waits in staged (the data copied while the application runs) until someone cuts
 * over, or until a chosen time inside the cut-over windows.
 */
export function StagingFields({
  form,
  errors,
  set,
  windows,
}: FieldsProps & { windows: CutoverWindow[] }) {
  const rebind = form.mode === 'rebind';
  return (
    <>
      <ChoiceField<Staging>
        label="Stage and cut over"
        value={form.staging}
        onChange={v => set('staging', v)}
        choices={[
          { value: 'off', label: 'Cut over right away' },
          {
            value: 'manual',
            label: 'Staged: cut over when I say',
            disabled: rebind,
          },
          {
            value: 'scheduled',
            label: 'Staged: cut over at a chosen time',
            disabled: rebind,
          },
        ]}
        error={errors.staging}
        hint={
          rebind
            ? 'A rebind has no staging.'
            : 'Staged: the data is copied while the application runs; the cut over stops it for the last sync.'
        }
      />
      {form.staging === 'scheduled' && (
        <TextField
          id="request-cutover-at"
          label="Cut over at"
          type="datetime-local"
          InputLabelProps={{ shrink: true }}
          value={form.cutoverAt}
          onChange={e => set('cutoverAt', e.target.value)}
          error={!!errors.cutoverAt}
          helperText={errors.cutoverAt ?? 'Your local time'}
          fullWidth
          margin="dense"
        />
      )}
      {form.staging !== 'off' && <Windows windows={windows} />}
    </>
  );
}
