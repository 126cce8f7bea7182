import type { MessageEntry } from './entry.js';

/** HA57xx: command-line usage and the summaries that end a command. */
export const USAGE_MESSAGES = {
  HA5701: { severity: 'error', message: '{file}: {count} error(s); nothing was done', hint: 'each error is shown above with its file, line and column' },
  HA5702: { severity: 'error', message: 'unknown format(s) {formats}', hint: 'choose from {known}' },
} as const satisfies Record<string, MessageEntry>;
