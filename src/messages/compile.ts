import type { MessageEntry } from './entry.js';

/**
 * HA4xxx: compiling a valid topology into artifacts. HA41xx are values the Pacemaker model cannot
 * represent. HA3901 lives here too (found by the same Pacemaker model, when the topology is
 * lowered, src/lower/): the ids hactl derives from topology names collide.
 */
export const COMPILE_MESSAGES = {
  HA3100: {
    severity: 'error',
    message: 'raw CIB for <{section}> cannot be passed through: {detail}',
    hint: 'raw_cib takes the elements of one section of <configuration> as XML, each with its id (no DOCTYPE, no entities; see README, raw CIB passthrough)',
  },
  HA3101: {
    severity: 'error',
    message: 'id {id} in raw_cib {section} is already the id of a {other}',
    hint: 'every id in a CIB is unique: rename it in the fragment',
  },
  HA3901: {
    severity: 'error',
    message: 'Pacemaker id {id} of this {what} is already the id of a {other}',
    hint: 'ids are derived from names (p_<process>, g_<service>, cl_<service>, p_ip_<vip>, …): rename one of the two',
  },
  HA4101: {
    severity: 'error',
    message: 'the value of {name} holds {why}, which a CIB, crmsh or pcs cannot carry unchanged',
    hint: 'write the value on one line of printable characters (leave an optional parameter out rather than empty)',
  },
} as const satisfies Record<string, MessageEntry>;
