/** The registered compile targets, in the order `--format` lists them. */
import { filesTarget } from './files/index.js';
import { cibTarget } from './cib/index.js';
import { crmshTarget } from './crmsh/index.js';
import { pcsTarget } from './pcs/index.js';
import type { Target } from './target.js';

export const TARGETS: readonly Target[] = [cibTarget, crmshTarget, pcsTarget, filesTarget];
