/** The `crmsh` target: clusters/NAME/configure.crm, for `crm configure load update`. */
import type { Artifact } from '../artifact.js';
import type { Target } from '../target.js';
import { toCrmsh } from './emit.js';

export { toCrmsh } from './emit.js';

export const crmshTarget: Target = {
  name: 'crmsh',
  description: 'clusters/NAME/configure.crm: the same configuration for crm configure load update',
  emit(model): Artifact[] {
    return model.clusters.map((c) => ({ path: `clusters/${c.name}/configure.crm`, content: toCrmsh(c, model.topology.name) }));
  },
};
