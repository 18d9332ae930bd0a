/** Exit codes scripts can rely on; `--help` of the root command lists them. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** a batch where some transfers succeeded and some did not */
  partial: 3,
  /** cancelled by SIGINT/SIGTERM after a clean rollback (the shell convention 128 + SIGINT) */
  cancelled: 130,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    failure (a transfer failed or was refused)
  2    bad usage (unknown flag or context, missing PVC or namespace): nothing was created
  3    partial failure: some transfers of a batch succeeded, others did not
  130  cancelled (Ctrl-C): rolled back
`;

/** Bad input found before anything was created: one line, the usage hint, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
