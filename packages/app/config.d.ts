export interface Config {
  app?: {
    signIn?: {
      /**
       * `demo` (pick one of demoUsers; needs the backend's demo auth provider, development only),
       * `guest`, or the id of a sign-in provider: github, gitlab, google, microsoft, okta.
       * @visibility frontend
       */
      mode?: string;
      /**
       * The users offered by the demo sign-in.
       * @visibility frontend
       */
      demoUsers?: Array<{
        /** @visibility frontend */
        userEntityRef: string;
        /** @visibility frontend */
        title: string;
        /** @visibility frontend */
        description?: string;
      }>;
    };
  };
}
