/**
 * What the semantic CIB diff ignores, matches and orders, as data. Each entry says why: the diff
 * must report what changes the cluster's behaviour and nothing else.
 */

/**
 * Attributes of <cib> that are not configuration. epoch, num_updates and admin_epoch are the
 * version triple (admin_epoch is set by an operator only to make one CIB win a replace; it changes
 * no behaviour). cib-last-written, update-origin/-client/-user record who wrote last. dc-uuid,
 * have-quorum and execution-date are cluster state. crm_feature_set and validate-with say which
 * dialect the document is written in; the cluster rewrites them itself (a DC of a newer version,
 * `cibadmin --upgrade`), and the configuration below them is compared element by element anyway.
 */
export const VOLATILE_CIB_ATTRS: ReadonlySet<string> = new Set([
  'epoch',
  'num_updates',
  'admin_epoch',
  'cib-last-written',
  'update-origin',
  'update-client',
  'update-user',
  'dc-uuid',
  'have-quorum',
  'execution-date',
  'crm_feature_set',
  'validate-with',
  'no-quorum-panic',
]);

/**
 * Attributes of <cib> that are configuration, with the value that means the same as leaving them
 * out: port 0 is "do not listen" for the CIB manager's remote TLS and clear-text access.
 */
export const CIB_ATTR_DEFAULTS: Readonly<Record<string, string>> = { 'remote-tls-port': '0', 'remote-clear-port': '0' };

export { CLUSTER_MAINTAINED_PROPERTIES } from '../vocabulary.js';

/** Sections of <configuration>, in the order a reviewer reads them. */
export const SECTION_ORDER = ['cib', 'crm_config', 'rsc_defaults', 'op_defaults', 'nodes', 'resources', 'constraints', 'fencing-topology', 'tags', 'acls', 'alerts'] as const;

/** Sections whose nvpairs are reported one by one (each property is its own object). */
export const PROPERTY_SECTIONS: ReadonlySet<string> = new Set(['crm_config', 'rsc_defaults', 'op_defaults']);

/** Elements that are objects of their own: reported, matched by id and owned separately. */
export const RESOURCE_TAGS: ReadonlySet<string> = new Set(['primitive', 'group', 'clone', 'master', 'bundle', 'template']);

/** Name/value sets: matched by id, but their ids mean nothing to Pacemaker (tools name them differently). */
export const NVSET_TAGS: ReadonlySet<string> = new Set(['instance_attributes', 'meta_attributes', 'utilization', 'cluster_property_set']);

/**
 * Elements inside an object whose id is only a handle that each tool (crmsh, pcs, hactl) makes up
 * its own way and that have no natural key. They are matched by id first; what stays unmatched is
 * paired by element name in document order, and the id is never compared.
 */
export const PAIRED_TAGS: ReadonlySet<string> = new Set([
  ...NVSET_TAGS,
  'operations',
  'rule',
  'expression',
  'date_expression',
  'date_spec',
  'duration',
  'op_expression',
  'rsc_expression',
  'resource_set',
  'lifetime',
]);

/**
 * Elements matched by what they are rather than by id: an nvpair by its name within its set, an
 * operation by name, interval and role (what Pacemaker itself keys a recurring operation by). Their
 * ids, too, are handles that differ between tools and are not compared.
 */
export const NATURAL_KEY_TAGS: ReadonlySet<string> = new Set(['nvpair', 'op']);

/**
 * Children whose order Pacemaker uses, by parent: a group starts its members in order; an
 * ordering or colocation constraint chains its sets in order; and a sequential set (the default)
 * orders its members. Elsewhere (the resources list, constraints, nvpairs, ops, rule
 * expressions) order carries no meaning and is ignored.
 */
export function orderedChildTag(parent: { name: string; attrs: Record<string, string> }, grandparent?: string): string | undefined {
  if (parent.name === 'group') return 'primitive';
  if (parent.name === 'rsc_order' || parent.name === 'rsc_colocation') return 'resource_set';
  if (parent.name === 'resource_set' && (grandparent === 'rsc_order' || grandparent === 'rsc_colocation')) {
    return isFalse(parent.attrs.sequential) ? undefined : 'resource_ref';
  }
  return undefined;
}

export function isFalse(v: string | undefined): boolean {
  return v !== undefined && /^(false|no|n|off|0)$/i.test(v.trim());
}

const BOOLEAN = /^(true|yes|y|on|1|false|no|n|off|0)$/i;
/** Attributes (and nvpair names) Pacemaker reads as booleans: "yes", "true", "on" and "1" are one value. */
const BOOLEAN_NAMES: ReadonlySet<string> = new Set([
  'sequential', 'require-all', 'symmetrical', 'ordered', 'interleave', 'notify', 'globally-unique', 'promotable',
  'is-managed', 'maintenance', 'maintenance-mode', 'stonith-enabled', 'symmetric-cluster', 'start-failure-is-fatal',
  'enable-startup-probes', 'stop-all-resources', 'stop-orphan-resources', 'stop-orphan-actions', 'concurrent-fencing',
  'enabled', 'critical', 'allow-migrate', 'remote-connect-only', 'record-pending', 'enable-acl', 'shutdown-lock',
]);
/** Attributes (and nvpair names) Pacemaker reads as durations: "10s", "10000ms" and "10" are one value. */
const DURATION_NAMES: ReadonlySet<string> = new Set([
  'interval', 'timeout', 'start-delay', 'failure-timeout', 'dc-deadtime', 'cluster-recheck-interval', 'stonith-timeout',
  'shutdown-escalation', 'election-timeout', 'shutdown-lock-limit', 'stonith-watchdog-timeout', 'fence-reaction',
  'pcmk_monitor_timeout', 'pcmk_reboot_timeout', 'pcmk_off_timeout', 'pcmk_delay_max', 'pcmk_delay_base',
]);
const ROLE_NAMES: ReadonlySet<string> = new Set(['role', 'rsc-role', 'with-rsc-role', 'target-role']);
const ROLES: Record<string, string> = { master: 'Promoted', promoted: 'Promoted', slave: 'Unpromoted', unpromoted: 'Unpromoted', started: 'Started', stopped: 'Stopped' };
const UNITS: Record<string, number> = { ms: 1, msec: 1, us: 0.001, usec: 0.001, s: 1000, sec: 1000, m: 60000, min: 60000, h: 3600000, hr: 3600000 };

/** A Pacemaker duration in milliseconds as text, or undefined when it is not one (ISO 8601 is left as written). */
export function durationMs(v: string): string | undefined {
  const m = /^\s*([0-9]+)\s*(ms|msec|us|usec|s|sec|m|min|h|hr)?\s*$/i.exec(v);
  if (!m) return undefined;
  return String(Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]!);
}

/**
 * The node:port pairs of a pcmk_host_map as hactl reads one (check's rehearsal, the graph, import):
 * pairs separated by ';', spaces around a pair and empty pairs (a trailing ';') meaning nothing.
 */
export function hostMapPairs(map: string): string[] {
  return map
    .split(';')
    .map((pair) => pair.trim())
    .filter(Boolean);
}

/** The value as Pacemaker understands it, so that spellings of one value compare equal. */
export function normalizeValue(name: string, value: string): string {
  // A map's trailing ';' (pcs and crmsh users write one) is the same map: fenced reads the pairs.
  if (name === 'pcmk_host_map') return hostMapPairs(value).join(';');
  if (BOOLEAN_NAMES.has(name) && BOOLEAN.test(value.trim())) return isFalse(value) ? 'false' : 'true';
  if (DURATION_NAMES.has(name)) return durationMs(value) ?? value;
  if (ROLE_NAMES.has(name)) return ROLES[value.trim().toLowerCase()] ?? value;
  if (name === 'score' || name.endsWith('-score')) {
    const s = value.trim().toLowerCase();
    if (s === 'infinity' || s === '+infinity' || s === 'inf' || s === '+inf') return 'INFINITY';
    if (s === '-infinity' || s === '-inf') return '-INFINITY';
  }
  return value;
}

/**
 * Attributes that Pacemaker gives a value when they are left out: writing the default (as pcs
 * does for an ordering's actions) is the same configuration as leaving it out.
 */
export function defaultValue(tag: string, name: string, attrs: Record<string, string>): string | undefined {
  switch (`${tag}@${name}`) {
    case 'rsc_order@first-action':
      return 'start';
    case 'rsc_order@then-action':
      return attrs['first-action'] ?? 'start';
    case 'rsc_order@kind':
      return attrs.score === undefined ? 'Mandatory' : undefined;
    case 'rsc_order@symmetrical':
      return (attrs.kind ?? 'Mandatory') === 'Serialize' ? 'false' : 'true';
    case 'rsc_colocation@rsc-role':
    case 'rsc_colocation@with-rsc-role':
    case 'rsc_location@role':
    case 'rsc_ticket@rsc-role':
      return 'Started';
    case 'resource_set@sequential':
    case 'resource_set@require-all':
      return 'true';
    case 'op@interval':
      return '0';
    case 'node@type':
      return 'member';
    default:
      return undefined;
  }
}
