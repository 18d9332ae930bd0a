import { render, screen } from '@testing-library/react';
import Typography from '@material-ui/core/Typography';
import {
  decomposeColor,
  getContrastRatio,
  recomposeColor,
} from '@material-ui/core/styles';
import { lightTheme, secondaryText } from './lightTheme';
import { LightThemeProvider } from './LightThemeProvider';

// Backstage UI's page background (--bui-bg-app) in light mode, and Material UI's paper.
const pageBackground = '#f5f5f5';
const paper = '#ffffff';
const AA = 4.5;

/** What a possibly translucent colour looks like painted on an opaque background. */
function paintedOn(colour: string, background: string): string {
  const { values, type } = decomposeColor(colour);
  const alpha = type.endsWith('a') ? (values[3] ?? 1) : 1;
  const under = decomposeColor(background).values;
  return recomposeColor({
    type: 'rgb',
    values: [0, 1, 2].map(i =>
      Math.round(values[i] * alpha + under[i] * (1 - alpha)),
    ) as [number, number, number],
  });
}

const contrastOn = (colour: string, background: string) =>
  getContrastRatio(paintedOn(colour, background), background);

describe('lightTheme', () => {
  it.each(['v4', 'v5'] as const)(
    'gives %s components secondary and subtle text readable on the page and on paper',
    version => {
      const { palette } = lightTheme.getTheme(version) as {
        palette: { text: { secondary: string }; textSubtle: string };
      };
      for (const colour of [palette.text.secondary, palette.textSubtle]) {
        expect(contrastOn(colour, pageBackground)).toBeGreaterThanOrEqual(AA);
        expect(contrastOn(colour, paper)).toBeGreaterThanOrEqual(AA);
      }
    },
  );

  it("keeps Backstage's light palette otherwise", () => {
    const { palette } = lightTheme.getTheme('v4') as {
      palette: {
        type: string;
        primary: { main: string };
        text: { primary: string };
      };
    };
    expect(palette.type).toBe('light');
    expect(palette.primary.main).toBe('#1F5493');
    expect(palette.text.primary).toBe('rgba(0, 0, 0, 0.87)');
  });

  it('colours secondary text below the provider with the readable grey', () => {
    render(
      <LightThemeProvider>
        <Typography color="textSecondary">Requested 5 minutes ago</Typography>
      </LightThemeProvider>,
    );
    expect(screen.getByText('Requested 5 minutes ago')).toHaveStyle({
      color: secondaryText,
    });
  });
});
