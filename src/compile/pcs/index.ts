/** The `pcs` target: clusters/NAME/pcs.sh, the configuration as pcs commands. */
import type { Artifact } from '../artifact.js';
import { clusterConfigs } from '../pacemaker/index.js';
import type { Target } from '../target.js';
import { toPcs } from './emit.js';

export { toPcs } from './emit.js';

export const pcsTarget: Target = {
  name: 'pcs',
  description: 'clusters/NAME/pcs.sh: the same configuration as pcs commands (bash pcs.sh CIB_FILE | --push)',
  emit(topology): Artifact[] {
    return clusterConfigs(topology).map((c) => ({ path: `clusters/${c.name}/pcs.sh`, content: toPcs(c, topology.name) }));
  },
};
