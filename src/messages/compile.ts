import type { MessageEntry } from './entry.js';

/** HA4xxx: compiling a valid topology into artifacts. */
export const COMPILE_MESSAGES = {
  HA4001: { severity: 'error', message: 'cannot write output {path}: {detail}' },
} as const satisfies Record<string, MessageEntry>;
