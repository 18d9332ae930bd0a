import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';

export interface Choice<T extends string> {
  value: T;
  label: string;
  disabled?: boolean;
}

/** A labelled group of radio buttons (arrow keys move between them), with its error or hint below. */
export function ChoiceField<T extends string>(props: {
  label: string;
  value: T;
  choices: Choice<T>[];
  onChange: (value: T) => void;
  error?: string;
  hint?: string;
}) {
  const { label, value, choices, onChange, error, hint } = props;
  return (
    <FormControl component="fieldset" margin="dense" error={!!error} fullWidth>
      <FormLabel component="legend">{label}</FormLabel>
      <RadioGroup
        row
        aria-label={label}
        value={value}
        onChange={e => onChange(e.target.value as T)}
      >
        {choices.map(c => (
          <FormControlLabel
            key={c.value}
            value={c.value}
            label={c.label}
            disabled={c.disabled}
            control={<Radio color="primary" />}
          />
        ))}
      </RadioGroup>
      {(error ?? hint) && <FormHelperText>{error ?? hint}</FormHelperText>}
    </FormControl>
  );
}
