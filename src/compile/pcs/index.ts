/** The `pcs` target: clusters/NAME/pcs.sh, the configuration as pcs commands. */
import type { Artifact } from '../artifact.js';
import type { Target } from '../target.js';
import { toPcs } from './emit.js';

export { toPcs } from './emit.js';

export const pcsTarget: Target = {
  name: 'pcs',
  description: 'clusters/NAME/pcs.sh: the same configuration as pcs commands (bash pcs.sh CIB_FILE | --push)',
  emit(model): Artifact[] {
    return model.clusters.map((c) => ({ path: `clusters/${c.name}/pcs.sh`, content: toPcs(c, model.topology.name) }));
  },
};
