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
      /** The demo sign-in (src/modules/demoSignIn): sign in as a picked catalog user. */
      demo?: {
        /** when set, only these users may be picked */
        users?: string[];
        /** allow it although auth.environment is not development: anyone could act as anyone */
        dangerouslyAllowOutsideDevelopment?: boolean;
      };
    };
  };
}
