/** The registered compile targets, in the order `--format` lists them. */
import { filesTarget } from './files/index.js';
import type { Target } from './target.js';

export const TARGETS: readonly Target[] = [filesTarget];
