import type { MessageEntry } from './entry.js';

/** HA3xxx: semantic HA rules (src/model/rules/, one rule per file). */
export const RULE_MESSAGES = {
  HA3001: { severity: 'error', message: '{kind} {name} is not defined', hint: '{suggestion}' },
} as const satisfies Record<string, MessageEntry>;
