import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { discoveryApiRef, IdentityApi } from '@backstage/core-plugin-api';
import { DemoSignInPage } from './DemoSignInPage';
import { DEMO_USER_HEADER, DEMO_USER_STORAGE_KEY } from './demoIdentity';

const users = [
  {
    userEntityRef: 'user:default/alice',
    title: 'Alice',
    description: 'team-payments',
  },
  {
    userEntityRef: 'user:default/carol',
    title: 'Carol',
    description: 'platform-team',
  },
];

/** A token whose payload has an expiry, as the backend issues them. */
const token = `eyJhbGciOiJub25lIn0.${btoa(JSON.stringify({ sub: 'user:default/alice', exp: Date.now() / 1000 + 3600 }))}.sig`;

function session(userEntityRef: string) {
  return {
    profile: { displayName: 'alice' },
    backstageIdentity: {
      token,
      identity: {
        type: 'user',
        userEntityRef,
        ownershipEntityRefs: [userEntityRef, 'group:default/team-payments'],
      },
    },
  };
}

const discovery = {
  getBaseUrl: async (id: string) => `http://localhost:7007/api/${id}`,
};
const render = (onSignInSuccess: (identity: IdentityApi) => void) =>
  renderInTestApp(
    <TestApiProvider apis={[[discoveryApiRef, discovery]]}>
      <DemoSignInPage users={users} onSignInSuccess={onSignInSuccess} />
    </TestApiProvider>,
  );

describe('DemoSignInPage', () => {
  const originalFetch = global.fetch;
  afterEach(() => {
    global.fetch = originalFetch;
    window.localStorage.clear();
  });

  it('signs in as the picked user through the demo provider and remembers the choice', async () => {
    const fetch = jest.fn(
      async (_url: string, _init?: RequestInit) =>
        new Response(JSON.stringify(session('user:default/alice')), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    global.fetch = fetch as any;
    const onSignInSuccess = jest.fn<void, [IdentityApi]>();
    await render(onSignInSuccess);

    fireEvent.click(screen.getByRole('button', { name: 'Sign in as Alice' }));
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://localhost:7007/api/auth/demo/refresh');
    expect(new Headers(init?.headers).get(DEMO_USER_HEADER)).toBe(
      'user:default/alice',
    );
    expect(window.localStorage.getItem(DEMO_USER_STORAGE_KEY)).toBe(
      'user:default/alice',
    );

    const identity = onSignInSuccess.mock.calls[0][0];
    await expect(identity.getBackstageIdentity()).resolves.toMatchObject({
      userEntityRef: 'user:default/alice',
    });
    await identity.signOut();
    expect(window.localStorage.getItem(DEMO_USER_STORAGE_KEY)).toBeNull();
  });

  it('shows the reason and the choice again when the backend refuses', async () => {
    global.fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'NotAllowedError',
              message:
                'The demo sign-in works only with auth.environment development',
            },
            response: { statusCode: 403 },
          }),
          {
            status: 403,
            statusText: 'Forbidden',
            headers: { 'content-type': 'application/json' },
          },
        ),
    ) as any;
    window.localStorage.setItem(DEMO_USER_STORAGE_KEY, 'user:default/carol');
    const onSignInSuccess = jest.fn();
    await render(onSignInSuccess);

    expect(
      await screen.findByText(/works only with auth.environment development/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as Carol' }),
    ).toBeInTheDocument();
    expect(window.localStorage.getItem(DEMO_USER_STORAGE_KEY)).toBeNull();
    expect(onSignInSuccess).not.toHaveBeenCalled();
  });
});
