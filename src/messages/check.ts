import type { MessageEntry } from './entry.js';

/** HA6xxx: findings of `hactl check` (single points of failure, rehearsal, availability). */
export const CHECK_MESSAGES = {} as const satisfies Record<string, MessageEntry>;
