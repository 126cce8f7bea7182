/** The registry of semantic rules, run in this order; each rule lives in its own file. */
import { references } from './references.js';
import type { Rule } from './rule.js';

export const RULES: readonly Rule[] = [references];
export type { Rule };
