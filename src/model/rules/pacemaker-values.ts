import { buildPacemaker } from '../../compile/pacemaker/build.js';
import type { Rule } from './rule.js';

/**
 * Every value that goes into a CIB, a crmsh file and a pcs script can be written in all three
 * unchanged: no control characters (XML turns line breaks in attributes into spaces, crmsh reads
 * line by line).
 */
export const pacemakerValues: Rule = {
  name: 'pacemaker-values',
  codes: ['HA4101'],
  check(t) {
    return buildPacemaker(t).flatMap((r) => r.diagnostics.filter((d) => d.code === 'HA4101'));
  },
};
