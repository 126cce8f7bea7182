/**
 * The words the catalogue, the model and the compiler share: node roles, service modes and the
 * release families. A leaf module (it imports nothing), so that the catalogue and the model can
 * both depend on it without depending on each other.
 */
/**
 * Cluster properties the cluster writes itself (the controller on DC election, `crm_resource
 * --refresh`): never set by an operator or by hactl, so never drift and never worth showing.
 */
export const CLUSTER_MAINTAINED_PROPERTIES: ReadonlySet<string> = new Set(['dc-version', 'cluster-infrastructure', 'cluster-name', 'have-watchdog', 'last-lrm-refresh']);

/** The id of apply's ownership record, a cluster property set of its own (diff/ownership.ts). */
export const OWNERSHIP_SET = 'hactl-ownership';

/**
 * Meta attributes that record an operator's runtime decision on a resource (`crm resource
 * stop/start`, `unmanage`, `maintenance`). A topology states them only as a service's intent
 * (`target_role`, `managed`, `maintenance`), never as plain meta attributes.
 */
export const RUNTIME_META: ReadonlySet<string> = new Set(['target-role', 'is-managed', 'maintenance']);

/**
 * Sections of a CIB's <configuration> that a topology's raw passthrough (clusters.*.raw_cib) may
 * add to, with the elements each may hold at its top, in the order of <configuration>. Not the
 * status. Attribute sets of crm_config, rsc_defaults and op_defaults go after the one the typed
 * format writes (an operator's live cluster may have several, with scores or rules); of the node
 * list only remote node entries (type="remote": the attributes of a remote node hactl did not
 * make), members being the topology's nodes.
 */
export const RAW_SECTIONS = {
  crm_config: ['cluster_property_set'],
  rsc_defaults: ['meta_attributes'],
  op_defaults: ['meta_attributes'],
  nodes: ['node'],
  resources: ['primitive', 'group', 'clone', 'master', 'bundle', 'template'],
  constraints: ['rsc_location', 'rsc_colocation', 'rsc_order', 'rsc_ticket'],
  'fencing-topology': ['fencing-level'],
  tags: ['tag'],
  alerts: ['alert'],
  acls: ['acl_target', 'acl_group', 'acl_role', 'acl_user'],
} as const;
export type RawSection = keyof typeof RAW_SECTIONS;

/**
 * The ids of the one attribute set hactl writes in each section of name/value sets. A raw set
 * of crm_config with hactl's id is that set: its name/value pairs join hactl's own.
 */
export const HACTL_SET_IDS = { crm_config: 'cib-bootstrap-options', rsc_defaults: 'rsc-options', op_defaults: 'op-options' } as const;
export type SetSection = keyof typeof HACTL_SET_IDS;

export type Role = 'controller' | 'network' | 'storage' | 'compute' | 'ceph-mon' | 'radosgw' | 'qnetd';
export type Mode = 'active-passive' | 'active-active' | 'promotable';

/**
 * The release families hactl writes option names for, oldest first. This list is the one source:
 * the type, the schema's release enum (a test keeps them equal), the catalogue's `since` values
 * and the templates' `since.<family>` flags all follow it. A family added at the end inherits every
 * value of the family before it until the catalogue says otherwise. (Juno to 2023.2 are not
 * accepted: their option names moved several times and hactl writes none of them.)
 *
 * "current" is the profile of today's releases (2024.1 to 2025.2): the HA pattern changed with
 * them (HAProxy in front of active/active APIs, Galera, clustered RabbitMQ, OVN), so most of its
 * services are catalogue entries of their own rather than new values of the 2013 ones.
 */
export const FAMILIES = ['grizzly', 'havana', 'icehouse', 'current'] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * Every release `openstack.release` accepts, in release order, with its family. The 2013 releases
 * are their own family; the current ones share one, their differences are catalogue data where
 * hactl writes an option they differ on.
 */
export const RELEASES = {
  grizzly: 'grizzly',
  havana: 'havana',
  icehouse: 'icehouse',
  '2024.1': 'current',
  '2024.2': 'current',
  '2025.1': 'current',
  '2025.2': 'current',
} as const satisfies Record<string, Family>;
export type Release = keyof typeof RELEASES;

/** Code names of the numbered releases: accepted in the topology, resolved to the number. */
export const RELEASE_ALIASES = {
  caracal: '2024.1',
  dalmatian: '2024.2',
  epoxy: '2025.1',
  flamingo: '2025.2',
} as const satisfies Record<string, Release>;
export type ReleaseName = Release | keyof typeof RELEASE_ALIASES;

/** The release a name in the topology stands for (a code name resolves to its number). */
export function releaseOf(name: ReleaseName): Release {
  return name in RELEASE_ALIASES ? RELEASE_ALIASES[name as keyof typeof RELEASE_ALIASES] : (name as Release);
}

export function familyOfRelease(name: ReleaseName): Family {
  return RELEASES[releaseOf(name)];
}

/** "This family or later" for each family: what templates test (never equality with a release). */
export function sinceFlags(family: Family): Record<Family, boolean> {
  const at = FAMILIES.indexOf(family);
  const out = {} as Record<Family, boolean>;
  for (const [i, f] of FAMILIES.entries()) out[f] = at >= i;
  return out;
}
