import { Config } from '@backstage/config';

/** Sign-in providers that hand out tokens without proving who the caller is: development only. */
const DEVELOPMENT_ONLY_PROVIDERS: Record<string, string> = {
  guest:
    'the guest provider gives a token to anyone who asks, with no credentials',
  demo: 'the demo provider signs in as any listed user (admins included) from one request header',
};

/**
 * Why this backend must not start with the configured sign-in providers, or undefined when it may.
 *
 * The guest and demo providers are allowed only when `auth.environment` says `development` explicitly and
 * NODE_ENV is not `production`. Backstage's guest provider looks at NODE_ENV alone (and `backstage-cli
 * package start` sets NODE_ENV=development when it is unset), so a production configuration laid over
 * the development one would otherwise hand out tokens to anyone.
 */
export function developmentOnlyProvidersProblem(
  config: Config,
  nodeEnv: string | undefined,
): string | undefined {
  const configured = Object.keys(DEVELOPMENT_ONLY_PROVIDERS).filter(id =>
    config.has(`auth.providers.${id}`),
  );
  if (configured.length === 0) return undefined;

  const authEnvironment = config.getOptionalString('auth.environment');
  const reasons: string[] = [];
  if (authEnvironment === undefined) {
    reasons.push(
      "auth.environment is not set (these providers need it to say 'development' explicitly)",
    );
  } else if (authEnvironment !== 'development') {
    reasons.push(`auth.environment is '${authEnvironment}'`);
  }
  if (nodeEnv === 'production') reasons.push("NODE_ENV is 'production'");
  if (reasons.length === 0) return undefined;

  const names = configured.map(id => `auth.providers.${id}`).join(' and ');
  const what = configured
    .map(id => `${DEVELOPMENT_ONLY_PROVIDERS[id]}`)
    .join('; ');
  return (
    `Refusing to start: ${names} ${configured.length > 1 ? 'are' : 'is'} configured, but ${reasons.join(
      ' and ',
    )}. These providers are for development only: ${what}. ` +
    `In production, remove ${names} from the configuration: start with app-config.production.yaml alone, ` +
    `not laid over app-config.yaml (the development configuration), as the README's production section ` +
    `says. For a development backend, set auth.environment: development and do not set NODE_ENV=production.`
  );
}
