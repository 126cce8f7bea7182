import type { Lowered } from '../lower/index.js';
import type { Artifact } from './artifact.js';

/** A compile target: one output form (cib, crmsh, pcs, files), a pure function of the lowered topology. */
export interface Target {
  name: string;
  description: string;
  emit(model: Lowered): Artifact[];
}
