/**
 * The one error contract. A failure the operator can act on is a `HactlError`: a catalogued
 * diagnostic and how the command ends, 2 (invalid input or usage: nothing was done) or 3 (a node,
 * cluster or tool failed). Anything else thrown is a bug, and the CLI reports it as exit 4 with
 * its stack; so catch `HactlError` only, never `Error`.
 */
import { diag, type Diagnostic } from './diagnostics.js';
import type { Code } from './messages/index.js';

export type ErrorExit = 2 | 3;

export class HactlError extends Error {
  constructor(
    readonly diagnostic: Diagnostic,
    readonly exitCode: ErrorExit,
  ) {
    super(`${diagnostic.code}: ${diagnostic.message}`);
  }
}

type Args = Record<string, string | number>;

/** Bad input or usage (exit 2). */
export function invalidInput(code: Code, args: Args = {}): HactlError {
  return new HactlError(diag(code, '', args), 2);
}

/** A node, cluster or tool failed (exit 3). */
export function remoteFailure(code: Code, args: Args = {}): HactlError {
  return new HactlError(diag(code, '', args), 3);
}
