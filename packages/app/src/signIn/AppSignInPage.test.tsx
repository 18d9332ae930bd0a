import { screen } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { configApiRef, discoveryApiRef } from '@backstage/core-plugin-api';
import { AppSignInPage } from './AppSignInPage';

const render = (signIn: object) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, mockApis.discovery()],
        [
          configApiRef,
          mockApis.config({
            data: {
              app: { title: 'Test', signIn },
              backend: { baseUrl: 'http://localhost:7007' },
            },
          }),
        ],
      ]}
    >
      <AppSignInPage onSignInSuccess={jest.fn()} />
    </TestApiProvider>,
  );

describe('AppSignInPage', () => {
  it('offers the configured demo users', async () => {
    await render({
      mode: 'demo',
      demoUsers: [
        {
          userEntityRef: 'user:default/alice',
          title: 'Alice',
          description: 'team-payments',
        },
        { userEntityRef: 'user:default/bob', title: 'Bob' },
      ],
    });
    expect(
      screen.getByRole('button', { name: 'Sign in as Alice' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as Bob' }),
    ).toBeInTheDocument();
    expect(screen.getByText('team-payments')).toBeInTheDocument();
  });

  it('offers the guest provider', async () => {
    await render({ mode: 'guest' });
    expect(await screen.findByText('Guest')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Sign in as/ })).toBeNull();
  });

  it('refuses an unknown mode with a message that lists the known ones', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    await expect(render({ mode: 'myspace' })).rejects.toThrow(
      /'myspace' is unknown; use demo, guest or one of github/,
    );
  });
});
