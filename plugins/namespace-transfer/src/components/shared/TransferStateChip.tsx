import Chip from '@material-ui/core/Chip';
import { getContrastRatio, Theme, useTheme } from '@material-ui/core/styles';
import { TransferState } from '@namespace-transfer/plugin-namespace-transfer-common';

/** how people read a state: words rather than the API's identifiers */
export const TRANSFER_STATE_LABELS: Record<TransferState, string> = {
  'pending-approval': 'Pending approval',
  approved: 'Approved',
  running: 'Running',
  staged: 'Staged',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
  expired: 'Expired',
};

type Tone = 'waiting' | 'active' | 'good' | 'bad' | 'ended';

const TONES: Record<TransferState, Tone> = {
  'pending-approval': 'waiting',
  approved: 'active',
  running: 'active',
  staged: 'waiting',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'ended',
  rejected: 'bad',
  expired: 'ended',
};

// the palette's dark shades, with white or black text, whichever reads better on it
function toneColour(theme: Theme, tone: Tone): string {
  switch (tone) {
    case 'waiting':
      return theme.palette.warning.dark;
    case 'active':
      return theme.palette.info.dark;
    case 'good':
      return theme.palette.success.dark;
    case 'bad':
      return theme.palette.error.dark;
    default:
      return theme.palette.grey[700];
  }
}

/**
 * White where it reaches WCAG AA's 4.5:1 on the colour, else black: white on the light theme's dark orange
 * (2.7:1) and dark green (4.1:1) failed the e2e run's axe check.
 */
function textOn(theme: Theme, background: string): string {
  const white = theme.palette.common.white;
  return getContrastRatio(background, white) >= 4.5
    ? white
    : theme.palette.common.black;
}

/** A transfer's state as a coloured chip with its name in words. */
export function TransferStateChip(props: { state: TransferState }) {
  const theme = useTheme<Theme>();
  const background = toneColour(theme, TONES[props.state]);
  return (
    <Chip
      size="small"
      label={TRANSFER_STATE_LABELS[props.state]}
      style={{
        backgroundColor: background,
        color: textOn(theme, background),
      }}
    />
  );
}
