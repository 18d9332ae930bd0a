export { authModuleDemoSignIn as default } from './module';
export { DEMO_USER_HEADER } from './demoAuthenticator';
