export interface Config {
  namespaceTransfer?: {
    /**
     * Users and groups (entity refs) who may approve any transfer, cancel anyone's transfer and read the
     * audit view (see src/modules/permissionPolicy).
     */
    admins?: string[];
  };
  auth?: {
    providers?: {
      /**
       * The demo sign-in (src/modules/demoSignIn): sign in as a picked catalog user. Development only: it
       * needs `auth.environment: development` stated, and the backend refuses to start with it when
       * auth.environment or NODE_ENV says otherwise (src/modules/developmentSignInGuard).
       */
      demo?: {
        /** when set, only these users may be picked */
        users?: string[];
      };
    };
  };
}
