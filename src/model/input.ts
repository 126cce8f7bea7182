/**
 * The topology as written: the TypeScript mirror of schemas/topology.schema.json. Values of this
 * type have passed the schema; nothing is defaulted or resolved yet (see types.ts for that).
 */
import type { Mode, RawSection, Release, ReleaseName, Role } from '../vocabulary.js';

export type { Mode, Release, Role };

export interface SecretInput {
  env?: string;
  file?: string;
  purposes?: string[];
}
export interface SshInput {
  user?: string;
  port?: number;
  network?: string;
}
/**
 * An agent parameter's value: the text itself, or a reference to a secret (`{ secret: NAME }`),
 * which reaches the agent through Pacemaker's CIB secrets (the CIB holds `lrm://`).
 */
export type ParamValue = string | { secret: string };
export interface FencingInput {
  agent?: string;
  address?: string;
  username?: string;
  password?: string;
  lanplus?: boolean;
  params?: Record<string, ParamValue>;
  /** A node's own device as the cluster runs it (hactl import; not in defaults.fencing). */
  cib?: CibFenceInput & { location_id?: string };
}
/** A fence device as a running cluster holds it, where it differs from hactl's choices (hactl import). */
export interface CibFenceInput {
  id?: string;
  operations?: CibResourceInput['operations'];
  meta?: Record<string, string>;
}
export interface RbdInput {
  pool: string;
  image?: string;
  size?: string;
  mount?: string;
  /** Services' storage only (the schema has it there). */
  filesystem?: 'xfs' | 'ext4';
}
export interface ServiceInput {
  mode?: Mode;
  instances?: number;
  promoted?: number;
  promoted_per_node?: number;
  notify?: boolean;
  vip?: string;
  agent?: string;
  params?: Record<string, ParamValue>;
  storage?: { rbd: RbdInput };
  nodes?: string[];
  arbiter?: string;
  after?: string[];
  utilization?: Record<string, number>;
  rules?: RuleInput[];
  bundle?: BundleInput;
  target_role?: 'started' | 'stopped';
  managed?: boolean;
  maintenance?: boolean;
  cib?: CibResourceInput;
}
/** A resource as a running cluster holds it, where it differs from hactl's choices (hactl import). */
export interface CibResourceInput {
  id?: string;
  operations?: { name: string; interval: string; timeout?: string; role?: 'Promoted' | 'Unpromoted' }[];
  meta?: Record<string, string>;
  clone_id?: string;
  clone_meta?: Record<string, string>;
  group_id?: string;
  bundle_id?: string;
  group_meta?: Record<string, string>;
  group_members?: CibMemberInput[];
}
/** A member of an imported group before the service's own primitive, as the cluster runs it. */
export interface CibMemberInput {
  id: string;
  agent: string;
  params?: Record<string, string>;
  operations: NonNullable<CibResourceInput['operations']>;
  meta?: Record<string, string>;
}
/** A container bundle: the service runs in containers Pacemaker starts (podman or docker). */
export interface BundleInput {
  runtime: 'podman' | 'docker';
  image: string;
  replicas?: number;
  replicas_per_host?: number;
  promoted?: number;
  options?: string;
  network?: {
    ip_range_start?: string;
    host_interface?: string;
    host_netmask?: number;
    control_port?: number;
    ports?: { port?: number; internal_port?: number; range?: string }[];
  };
  storage?: { source?: string; source_root?: string; target: string; options?: string }[];
  meta?: Record<string, string>;
}
/** One test of a location rule: a node attribute, or the date. */
export interface RuleExpressionInput {
  attribute?: string;
  operation?: 'eq' | 'ne' | 'lt' | 'gt' | 'lte' | 'gte' | 'defined' | 'not_defined';
  value?: string;
  date?: 'in_range' | 'gt' | 'lt';
  start?: string;
  end?: string;
}
export interface RuleInput {
  score: number | string;
  boolean?: 'and' | 'or';
  expressions: RuleExpressionInput[];
}
export interface ResourceSetInput {
  services: string[];
  sequential?: boolean;
}
export interface AlertInput {
  path: string;
  select?: ('nodes' | 'fencing' | 'resources' | 'attributes')[];
  timeout?: string;
  recipients: string[];
}
export interface NodeInput {
  roles: Role[];
  addresses: Record<string, string>;
  fencing?: FencingInput;
  bond?: { name: string; mode?: string; interfaces: string[] };
  osds?: { data: string; journal?: string; db?: string }[];
  ssh?: SshInput;
  nodeid?: number;
  attributes?: Record<string, string>;
  utilization?: Record<string, number>;
}
/** A fence device shared by several nodes (a PDU), reaching each of them at its own port. */
export interface FenceDeviceInput {
  agent: string;
  address?: string;
  username?: string;
  password?: string;
  params?: Record<string, ParamValue>;
  ports: Record<string, string>;
  cib?: CibFenceInput & { host_list?: boolean };
}
/** A quorum device: corosync-qdevice (model net) asking corosync-qnetd on `host`. */
export interface QdeviceInput {
  host: string;
  network?: string;
  algorithm?: 'ffsplit' | 'lms';
  tie_breaker?: string;
  tls?: 'on' | 'off' | 'required';
  port?: number;
}
/** Fencing levels for the nodes a pattern or a node attribute selects (Pacemaker's target-pattern, target-attribute/target-value). */
export interface TargetLevelsInput {
  pattern?: string;
  attribute?: string;
  value?: string;
  levels: string[][];
  ids?: string[];
}
/** SBD: shared-disk (devices) or watchdog-only (no devices) fencing. Times in seconds. */
export interface SbdInput {
  devices?: string[];
  watchdog?: string;
  watchdog_timeout?: number;
  msgwait?: number;
  startmode?: 'always' | 'clean';
  /** The fence_sbd device as the cluster runs it (hactl import). */
  cib?: CibFenceInput;
}
export interface ClusterInput {
  nodes: string[];
  qdevice?: QdeviceInput;
  sbd?: SbdInput;
  fence_devices?: Record<string, FenceDeviceInput>;
  remote_nodes?: string[];
  links?: string[];
  authkey?: string;
  fencing?: { enabled: boolean; reason?: string; levels?: Record<string, string[][]>; level_ids?: Record<string, string[]>; target_levels?: TargetLevelsInput[] };
  vips?: Record<string, { network: string; address: string; nic?: string; cib?: Pick<CibResourceInput, 'operations' | 'meta'> }>;
  services?: Record<string, ServiceInput>;
  properties?: Record<string, string | number | boolean | null>;
  rsc_defaults?: Record<string, string | number | boolean>;
  op_defaults?: Record<string, string | number | boolean>;
  raw_cib?: Partial<Record<RawSection, string>>;
  order_sets?: Record<string, { sets: ResourceSetInput[]; kind?: 'Mandatory' | 'Optional' }>;
  colocation_sets?: Record<string, { sets: ResourceSetInput[]; score?: number | string }>;
  alerts?: Record<string, AlertInput>;
  tags?: Record<string, string[]>;
}
export interface CephInput {
  fsid: string;
  replicas: number;
  min_replicas?: number;
  public_network?: string;
  cluster_network?: string;
  osd?: { filesystem?: 'xfs' | 'ext4' | 'btrfs'; journal_size_mb?: number };
  pools?: Record<string, { pgs: number; client?: string }>;
  failure_domain?: 'host' | 'osd';
}
export interface RateInput {
  mtbf_hours?: number;
  mttr_hours?: number;
}
export interface AvailabilityInput {
  node?: RateInput;
  link?: RateInput;
  failover_seconds?: number;
  ceph_failover_seconds?: number;
}
export interface TopologyInput {
  name: string;
  openstack?: { release: ReleaseName; region?: string };
  sla?: number;
  availability?: AvailabilityInput;
  networks: Record<string, string>;
  secrets?: Record<string, SecretInput>;
  defaults?: { fencing?: FencingInput; ssh?: SshInput };
  ssh?: SshInput;
  nodes: Record<string, NodeInput>;
  clusters?: Record<string, ClusterInput>;
  ceph?: CephInput;
  compute?: { instances?: { rbd: RbdInput }; instance_ha?: boolean };
}
