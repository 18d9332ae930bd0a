import { createUnifiedTheme, palettes } from '@backstage/theme';

/**
 * Grey for secondary and subtle text. Material UI's default, black at 54 % opacity, comes out #717171 on
 * the page background (#f5f5f5, Backstage UI's app background): 4.47:1, under WCAG AA's 4.5:1. This
 * one reads 5.7:1 there and 6.2:1 on white paper.
 */
export const secondaryText = '#616161';

/** Backstage's light theme with secondary text readable on the page background and on paper. */
export const lightTheme = createUnifiedTheme({
  palette: {
    ...palettes.light,
    text: { secondary: secondaryText },
    textSubtle: secondaryText,
  },
});
