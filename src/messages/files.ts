import type { MessageEntry } from './entry.js';

/** HA4500-HA4999: node files and the manifest (src/compile/files/). */
export const FILES_MESSAGES = {
  HA4500: {
    severity: 'error',
    message: 'manifest {file} is not valid: {detail}',
    hint: 'the manifest is written by `hactl compile`; recompile instead of editing it',
  },
} as const satisfies Record<string, MessageEntry>;
