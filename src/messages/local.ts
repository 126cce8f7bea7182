import type { MessageEntry } from './entry.js';

/**
 * HA40xx: writing on the operator's machine (compile's output directory, keygen's key, any saved
 * file). hactl never replaces what it did not make unless told to, and never a directory that holds
 * the current directory or the topology.
 */
export const LOCAL_MESSAGES = {
  HA4001: { severity: 'error', message: 'cannot write {path}: {detail}', hint: '{remedy}' },
  HA4002: {
    severity: 'error',
    message: 'output {path} is a directory hactl did not make and it is not empty ({entries}); nothing was written',
    hint: 'give a new directory name (e.g. -o {suggest}), or add --force to replace this directory and everything in it',
  },
  HA4003: {
    severity: 'error',
    message: 'output {path} is {what}; hactl never replaces it, not even with --force',
    hint: 'give a new directory name, e.g. -o {suggest}',
  },
  HA4004: {
    severity: 'error',
    message: '{path} is a symbolic link; hactl neither follows nor replaces it',
    hint: 'give the directory the link points to, or a new name',
  },
  HA4005: {
    severity: 'error',
    message: '{path} exists and is {what}, not {expected}; nothing was written',
    hint: 'give a new name, e.g. {suggest}',
  },
  HA4006: {
    severity: 'error',
    message: 'the output path is empty (an unset variable?)',
    hint: 'give a directory name, e.g. -o out',
  },
  HA4007: {
    severity: 'error',
    message: 'cannot write {path}: the folder {dir} does not exist',
    hint: 'create it first (mkdir -p {dir}) or give a path in an existing folder',
  },
  HA4008: {
    severity: 'error',
    message: '{path} exists; hactl does not overwrite it',
    hint: 'give a new name, or add --force to replace it',
  },
} as const satisfies Record<string, MessageEntry>;
