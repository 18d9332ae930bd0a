import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The home page renders the plugin's cards in whole Material UI and Backstage trees; on a shared two-core
// machine (CI included) that can take longer than Jest's 5 s and Testing Library's 1 s defaults.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });
