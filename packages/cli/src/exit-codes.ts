/** Process exit codes, the same for every command. */
export const EXIT = {
  /** Everything checked is fine. */
  ok: 0,
  /** A connection (or another runtime check) failed. */
  failed: 1,
  /** The command line or the connections file is invalid. */
  invalid: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
