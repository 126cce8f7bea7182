import type { Topology } from '../model/types.js';
import type { Artifact } from './artifact.js';

/** A compile target: one output form (cib, crmsh, pcs, files), a pure function of the topology. */
export interface Target {
  name: string;
  description: string;
  emit(topology: Topology): Artifact[];
}
