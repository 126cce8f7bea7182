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
  HA3220: {
    severity: 'error',
    message: 'raw_cib {section} set {id} is the set hactl writes its {key} in, and holds {what}',
    hint: 'that set takes name/value pairs only (options Pacemaker 2.1 does not know); give a set with a score or rules an id of its own',
  },
  HA3221: {
    severity: 'error',
    message: '{kind} {name} is in raw_cib {section} set {id} and is also written by hactl (under {key}, or of its own accord)',
    hint: 'set it in one place: under {key}, or leave it out there (write a property hactl sets of its own accord null to keep hactl from writing it)',
  },
  HA3222: {
    severity: 'error',
    message: '{name} in raw_cib {section} set {id} is a {option} hactl knows',
    hint: 'write it under {key}, where its value is checked; the raw set is for options Pacemaker 2.1 does not know',
  },
  HA3223: {
    severity: 'warning',
    message: '{kind} {name} (raw_cib {section} set {set}) is no option of Pacemaker 2.1, the version hactl writes for: passed as written',
    hint: 'a Pacemaker 2.1 cluster ignores it (a Pacemaker 3 cluster reads fencing-enabled, for one); drop it if the cluster runs 2.1',
  },
  HA3224: {
    severity: 'warning',
    message: 'configure.crm cannot carry raw_cib {section} set {id}: crmsh has no syntax for it',
    hint: 'crmsh 4.4 loads no `xml` of a defaults set, drops the score of a property set, and its rules test node attributes only; cib.xml and pcs.sh carry it (configure.crm says so where the set would be)',
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
