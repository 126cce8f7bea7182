import type { MessageEntry } from './entry.js';

/** HA5xxx: diff, remote access and apply. */
export const REMOTE_MESSAGES = {} as const satisfies Record<string, MessageEntry>;
