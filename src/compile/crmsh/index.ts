/** The `crmsh` target: clusters/NAME/configure.crm, for `crm configure load update`. */
import type { Artifact } from '../artifact.js';
import { clusterConfigs } from '../pacemaker/index.js';
import type { Target } from '../target.js';
import { toCrmsh } from './emit.js';

export { toCrmsh } from './emit.js';

export const crmshTarget: Target = {
  name: 'crmsh',
  description: 'clusters/NAME/configure.crm: the same configuration for crm configure load update',
  emit(topology): Artifact[] {
    return clusterConfigs(topology).map((c) => ({ path: `clusters/${c.name}/configure.crm`, content: toCrmsh(c, topology.name) }));
  },
};
