import { ReactNode } from 'react';
import { UnifiedThemeProvider } from '@backstage/theme';
import { lightTheme } from './lightTheme';

/** Gives Material UI (v4 and v5) components below it the app's light theme. */
export function LightThemeProvider(props: { children: ReactNode }) {
  return (
    <UnifiedThemeProvider theme={lightTheme}>
      {props.children}
    </UnifiedThemeProvider>
  );
}
