import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  gitlabAuthApiRef,
  googleAuthApiRef,
  microsoftAuthApiRef,
  oktaAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { DemoSignInPage, DemoUser } from './DemoSignInPage';

const PROVIDERS: Record<string, SignInProviderConfig> = {
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in using GitHub',
    apiRef: githubAuthApiRef,
  },
  gitlab: {
    id: 'gitlab-auth-provider',
    title: 'GitLab',
    message: 'Sign in using GitLab',
    apiRef: gitlabAuthApiRef,
  },
  google: {
    id: 'google-auth-provider',
    title: 'Google',
    message: 'Sign in using Google',
    apiRef: googleAuthApiRef,
  },
  microsoft: {
    id: 'microsoft-auth-provider',
    title: 'Microsoft',
    message: 'Sign in using Microsoft',
    apiRef: microsoftAuthApiRef,
  },
  okta: {
    id: 'okta-auth-provider',
    title: 'Okta',
    message: 'Sign in using Okta',
    apiRef: oktaAuthApiRef,
  },
};

/** Chooses the sign-in by `app.signIn.mode`: the demo user picker, guest, or a real provider. */
export function AppSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const mode = config.getOptionalString('app.signIn.mode') ?? 'guest';
  if (mode === 'demo') {
    const users: DemoUser[] = (
      config.getOptionalConfigArray('app.signIn.demoUsers') ?? []
    ).map(u => ({
      userEntityRef: u.getString('userEntityRef'),
      title: u.getString('title'),
      description: u.getOptionalString('description'),
    }));
    return <DemoSignInPage {...props} users={users} />;
  }
  if (mode === 'guest') {
    return <SignInPage {...props} providers={['guest']} />;
  }
  const provider = PROVIDERS[mode];
  if (!provider) {
    throw new Error(
      `app.signIn.mode '${mode}' is unknown; use demo, guest or one of ${Object.keys(PROVIDERS).join(', ')}`,
    );
  }
  return <SignInPage {...props} auto provider={provider} />;
}
