/** The `cib` target: clusters/NAME/cib.xml, a complete CIB per cluster. */
import { serializeXml } from '../../xml/serialize.js';
import type { Artifact } from '../artifact.js';
import type { Target } from '../target.js';
import { toCib } from './emit.js';

export { toCib, CIB_SCHEMA, CIB_FEATURE_SET } from './emit.js';

export const cibTarget: Target = {
  name: 'cib',
  description: 'clusters/NAME/cib.xml: the complete CIB of each Pacemaker cluster',
  emit(model): Artifact[] {
    return model.clusters.map((c) => ({ path: `clusters/${c.name}/cib.xml`, content: serializeXml(toCib(c), { declaration: true }) }));
  },
};
