/** The registered compile targets, in the order `--format` lists them. */
import type { Target } from './target.js';

export const TARGETS: readonly Target[] = [];
