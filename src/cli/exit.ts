/** One exit-code table for every command (README "Exit codes"). */

export const EXIT = {
  ok: 0,
  /** diff found drift; check found an HA problem. */
  finding: 1,
  /** invalid topology or bad usage: nothing written, nothing pushed. */
  invalid: 2,
  /** a remote or cluster operation failed. */
  remote: 3,
  /** an internal error (a bug). */
  internal: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

