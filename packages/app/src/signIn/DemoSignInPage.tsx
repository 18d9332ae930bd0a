import { useState } from 'react';
import {
  Content,
  Header,
  Page,
  ProxiedSignInPage,
  WarningPanel,
} from '@backstage/core-components';
import { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  DEMO_USER_HEADER,
  DEMO_USER_STORAGE_KEY,
  forgetOnSignOut,
} from './demoIdentity';

/** The backend's own explanation when there is one (a ResponseError carries it in its body). */
function describe(error: Error): string {
  const body = (error as { body?: { error?: { message?: string } } }).body;
  return body?.error?.message
    ? `${error.message}: ${body.error.message}`
    : error.message;
}

export interface DemoUser {
  userEntityRef: string;
  title: string;
  description?: string;
}

/**
 * Lets a person act as one of the demo's catalog users (a requester, a source owner, a platform admin).
 * The backend's `demo` provider issues a real Backstage token for the picked user from the catalog.
 */
export function DemoSignInPage(props: SignInPageProps & { users: DemoUser[] }) {
  const { onSignInSuccess, users } = props;
  const [picked, setPicked] = useState<string | undefined>(
    () => window.localStorage.getItem(DEMO_USER_STORAGE_KEY) ?? undefined,
  );
  const [failure, setFailure] = useState<Error>();

  if (picked && !failure) {
    return (
      <ProxiedSignInPage
        provider="demo"
        headers={{ [DEMO_USER_HEADER]: picked }}
        onSignInSuccess={identity =>
          onSignInSuccess(forgetOnSignOut(identity, window.localStorage))
        }
        ErrorComponent={({ error }) => {
          // Leave the failed choice behind and offer the list again, with the reason on top.
          window.localStorage.removeItem(DEMO_USER_STORAGE_KEY);
          setTimeout(() => setFailure(error ?? new Error('Sign-in failed')));
          return null;
        }}
      />
    );
  }

  const pick = (userEntityRef: string) => {
    window.localStorage.setItem(DEMO_USER_STORAGE_KEY, userEntityRef);
    setFailure(undefined);
    setPicked(userEntityRef);
  };

  return (
    <Page themeId="home">
      <Header
        title="Namespace Transfer"
        subtitle="Demo sign-in: choose who you are"
      />
      <Content>
        {failure && (
          <WarningPanel
            severity="error"
            title="Sign-in failed"
            message={describe(failure)}
          />
        )}
        <Grid container spacing={3}>
          {users.map(user => (
            <Grid item xs={12} sm={6} md={4} key={user.userEntityRef}>
              <Card>
                <CardContent>
                  <Typography variant="h6">{user.title}</Typography>
                  <Typography variant="body2" color="textSecondary">
                    {user.description ?? user.userEntityRef}
                  </Typography>
                </CardContent>
                <CardActions>
                  <Button
                    color="primary"
                    variant="contained"
                    onClick={() => pick(user.userEntityRef)}
                  >
                    Sign in as {user.title}
                  </Button>
                </CardActions>
              </Card>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
