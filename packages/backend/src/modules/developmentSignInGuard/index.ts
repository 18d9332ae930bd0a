export { authModuleDevelopmentSignInGuard as default } from './module';
export { developmentOnlyProvidersProblem } from './developmentOnlyProviders';
