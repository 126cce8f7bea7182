import type { Lowered } from '../lower/index.js';
import type { Artifact } from './artifact.js';

/** A compile target: one output form (cib, crmsh, pcs, files), a pure function of the lowered topology. */
export interface Target {
  name: string;
  description: string;
  emit(model: Lowered): Artifact[];
  /**
   * The same artifacts one at a time, each made when asked for, for a writer that drops each
   * once written (the node files of a 1000-node cloud are 20 MB of text). Defaults to `emit`.
   */
  each?(model: Lowered): Iterable<Artifact>;
}
