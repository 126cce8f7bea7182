/**
 * The words the catalogue, the model and the compiler share: node roles, service modes and the
 * release families. A leaf module (it imports nothing), so that the catalogue and the model can
 * both depend on it without depending on each other.
 */
/**
 * Sections of a CIB's <configuration> that a topology's raw passthrough (clusters.*.raw_cib) may
 * add to, with the elements each may hold at its top. Not the node list (per-node state), not the
 * status, not property sets (the typed format sets those and merges them pair by pair).
 */
export const RAW_SECTIONS = {
  resources: ['primitive', 'group', 'clone', 'master', 'bundle', 'template'],
  constraints: ['rsc_location', 'rsc_colocation', 'rsc_order', 'rsc_ticket'],
  'fencing-topology': ['fencing-level'],
  tags: ['tag'],
  alerts: ['alert'],
  acls: ['acl_target', 'acl_group', 'acl_role', 'acl_user'],
} as const;
export type RawSection = keyof typeof RAW_SECTIONS;

export type Role = 'controller' | 'network' | 'storage' | 'compute' | 'ceph-mon' | 'radosgw' | 'qnetd';
export type Mode = 'active-passive' | 'active-active' | 'promotable';

/**
 * The release families hactl writes option names for, oldest first. This list is the one source:
 * the type, the schema's release enum (a test keeps them equal), the catalogue's `since` values
 * and the templates' `since.<family>` flags all follow it. A family added at the end inherits every
 * value of the family before it until the catalogue says otherwise. (Juno and Kilo moved nova's
 * and RabbitMQ's options again: they are not accepted until their templates say so.)
 */
export const FAMILIES = ['grizzly', 'havana', 'icehouse'] as const;
export type Family = (typeof FAMILIES)[number];
/** One family per accepted release today: the release name is the family name. */
export type Release = Family;

/** "This family or later" for each family: what templates test (never equality with a release). */
export function sinceFlags(family: Family): Record<Family, boolean> {
  const at = FAMILIES.indexOf(family);
  const out = {} as Record<Family, boolean>;
  for (const [i, f] of FAMILIES.entries()) out[f] = at >= i;
  return out;
}
