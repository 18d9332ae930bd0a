import TextField from '@material-ui/core/TextField';
import {
  TransferIntent,
  TransferMode,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { ChoiceField } from './ChoiceField';
import { FieldsProps, VerifyChoice } from './formModel';

const MODE_HINTS: Record<TransferMode, string> = {
  auto: 'Auto: rebind where it can (same cluster), else copy.',
  rebind:
    'Rebind: hands the volume over to the destination claim, no data moves (same cluster only).',
  copy: 'Copy: moves the bytes into a new volume (another cluster or storage class).',
};

const INTENT_HINTS: Record<TransferIntent, string> = {
  move: 'Move: the source workloads stay stopped and the source claim is marked as moved.',
  clone: 'Clone: the source workloads start again after the final sync.',
};

/** How the data moves: mode, intent and how much of it is verified. */
export function HowFields({ form, errors, set }: FieldsProps) {
  return (
    <>
      <ChoiceField<TransferMode>
        label="Mode"
        value={form.mode}
        onChange={v => set('mode', v)}
        choices={[
          { value: 'auto', label: 'Auto' },
          { value: 'rebind', label: 'Rebind' },
          { value: 'copy', label: 'Copy' },
        ]}
        error={errors.mode}
        hint={MODE_HINTS[form.mode]}
      />
      <ChoiceField<TransferIntent>
        label="Intent"
        value={form.intent}
        onChange={v => set('intent', v)}
        choices={[
          { value: 'move', label: 'Move' },
          { value: 'clone', label: 'Clone' },
        ]}
        error={errors.intent}
        hint={INTENT_HINTS[form.intent]}
      />
      <TextField
        id="request-verify"
        label="Verification"
        select
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        value={form.verify}
        onChange={e => set('verify', e.target.value as VerifyChoice)}
        error={!!errors.verify}
        helperText={
          errors.verify ?? 'Checksums compared after the final sync (copy)'
        }
        fullWidth
        margin="dense"
      >
        <option value="default">As configured by the platform team</option>
        <option value="none">None</option>
        <option value="sample">A sample of the files</option>
        <option value="full">Every file</option>
      </TextField>
      {form.verify === 'sample' && (
        <TextField
          id="request-verify-ratio"
          label="Share of files checked"
          placeholder="0.1"
          InputLabelProps={{ shrink: true }}
          inputProps={{ inputMode: 'decimal' }}
          value={form.verifySampleRatio}
          onChange={e => set('verifySampleRatio', e.target.value)}
          error={!!errors.verifySampleRatio}
          helperText={
            errors.verifySampleRatio ??
            "Above 0, at most 1 (all); empty for the engine's default"
          }
          fullWidth
          margin="dense"
        />
      )}
    </>
  );
}
