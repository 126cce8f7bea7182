import { buildPacemaker } from '../../compile/pacemaker/build.js';
import type { Rule } from './rule.js';

/**
 * The Pacemaker ids hactl derives from names (p_<process>, g_<service>, c_<a>_with_<b>, …) are
 * unique within each cluster's CIB: a custom service named like a catalogue process, for
 * example, would otherwise silently replace it. Found by building the Pacemaker model itself, so
 * the rule and the compiler can never disagree on what the ids are.
 */
export const resourceIdsRule: Rule = {
  name: 'resource-ids',
  codes: ['HA3901'],
  check(t) {
    return buildPacemaker(t).flatMap((r) => r.diagnostics.filter((d) => d.code === 'HA3901'));
  },
};
