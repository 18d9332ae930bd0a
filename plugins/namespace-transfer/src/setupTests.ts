import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Component tests render whole Material UI and Backstage trees; on a shared two-core machine (CI included)
// one can take longer than Jest's 5 s and Testing Library's 1 s defaults without anything being wrong.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });
