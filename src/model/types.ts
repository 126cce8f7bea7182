/**
 * The topology as resolved: defaults applied, inherited values merged, derived values computed,
 * keys in sorted order. Every entity keeps the JSON Pointer it was written at so that later
 * stages (rules, compile, check) can point the operator back to the source.
 */
import type { Family, ServiceEntry } from '../catalog/types.js';
import type { Mode, RawSection, Release, Role } from '../vocabulary.js';
import type { Bundle, ClusterBlocks, ServiceRule } from './blocks.js';
import type { TargetLevelsInput } from './input.js';

/**
 * The value Pacemaker reads as "this parameter is a CIB secret": pacemaker-execd and
 * pacemaker-fenced replace it, at each operation, with the content of
 * /var/lib/pacemaker/lrm/secrets/<resource id>/<parameter> (checked against its .sign, the MD5 of
 * the value), so the value itself is never in the CIB.
 */
export const CIB_SECRET = 'lrm://';

export interface Network {
  name: string;
  cidr: string;
  prefix: number;
  pointer: string;
}

export interface Secret {
  name: string;
  env?: string;
  file?: string;
  /** Catalogue secret purposes given to this secret explicitly (besides the one its name is). */
  purposes?: string[];
  pointer: string;
}

export interface Ssh {
  /** Only when the topology sets it: otherwise the operator's ssh_config decides (default root, 22 there). */
  user?: string;
  port?: number;
  /** The network whose address SSH connects to. */
  network: string;
}

export interface Fencing {
  agent: string;
  address?: string;
  username?: string;
  /** Name of the secret holding the password. */
  password?: string;
  lanplus: boolean;
  /** Agent parameters; a secret one holds CIB_SECRET and is named in secretParams. */
  params: Record<string, string>;
  /** Parameter -> name of the secret its value comes from (Pacemaker's CIB secrets), key-sorted. */
  secretParams: Record<string, string>;
  /** The device as the cluster runs it (an imported one). */
  cib?: CibFence & { locationId?: string };
  pointer: string;
}

/** A fence device's CIB fields, where they replace hactl's choices (hactl import). */
export interface CibFence {
  id?: string;
  operations?: CibResource['operations'];
  /** Key-sorted. */
  meta?: Record<string, string>;
}

export interface Osd {
  /** Ceph OSD id, assigned in node-name order then device order: stable across compiles. */
  id: number;
  host: string;
  data: string;
  journal?: string;
  pointer: string;
}

export interface Node {
  name: string;
  roles: Role[];
  addresses: Record<string, string>;
  fencing?: Fencing;
  bond?: { name: string; mode: string; interfaces: string[] };
  osds: Osd[];
  ssh: Ssh;
  /** The cluster the node is a corosync member of. */
  cluster?: string;
  /** The cluster the node is a pacemaker_remote node of. */
  remoteOf?: string;
  /** The corosync nodeid as written in the topology (see nodeIdOf for the derived one). */
  nodeid?: number;
  /** Node attributes for location rules (CIB node instance_attributes), key-sorted. */
  attributes?: Record<string, string>;
  /** Capacities (CIB node utilization), key-sorted. */
  utilization?: Record<string, number>;
  pointer: string;
}

export interface Vip {
  name: string;
  network: string;
  address: string;
  /** Prefix length of the VIP's network (undefined when the network is unknown). */
  prefix?: number;
  nic?: string;
  /** Operations and meta attributes as a running cluster holds them (hactl import). */
  cib?: Pick<CibResource, 'operations' | 'meta'>;
  pointer: string;
}

/**
 * What an imported resource keeps of the CIB it came from, where it differs from hactl's
 * choices: each field set replaces the id, operations or meta attributes hactl would derive.
 */
export interface CibResource {
  id?: string;
  operations?: { name: string; interval: string; timeout?: string; role?: 'Promoted' | 'Unpromoted' }[];
  /** Key-sorted. */
  meta?: Record<string, string>;
  cloneId?: string;
  /** Key-sorted. */
  cloneMeta?: Record<string, string>;
  /** Id of the bundle of a service run in containers. */
  bundleId?: string;
  /** The group the service's primitive is the last member of, after `members`. */
  group?: { id: string; meta: Record<string, string>; members: CibMember[] };
}

/** A member of an imported group, kept as the cluster runs it (params and meta key-sorted). */
export interface CibMember {
  id: string;
  agent: string;
  params: Record<string, string>;
  operations: NonNullable<CibResource['operations']>;
  meta: Record<string, string>;
}

export interface Rbd {
  pool: string;
  image: string;
  size?: string;
  mount?: string;
  /** The image's filesystem (services' storage; default xfs, never the OSDs'). */
  filesystem?: 'xfs' | 'ext4';
  pointer: string;
}

export interface Service {
  name: string;
  cluster: string;
  /** The catalogue entry for catalogue services; undefined for custom services (agent set). */
  entry?: ServiceEntry;
  /** Explicit agent of a custom service. */
  agent?: string;
  mode: Mode;
  /** Instances of a clone (clone-max) when written; otherwise one per node it may run on. */
  instances?: number;
  /** Of a promotable service: how many instances are promoted (promoted-max), and per node. */
  promotion?: { promoted: number; perNode?: number };
  /** Whether the agent is told of its peers' actions (clone notify), e.g. pgsql, galera, DRBD. */
  notify: boolean;
  vip?: string;
  /** Agent parameters; a secret one holds CIB_SECRET and is named in secretParams. */
  params: Record<string, string>;
  /** Parameter -> name of the secret its value comes from (Pacemaker's CIB secrets), key-sorted. */
  secretParams: Record<string, string>;
  storage?: Rbd;
  /** Cluster nodes the service may run on (all cluster nodes unless restricted). */
  nodes: string[];
  /** Whether `nodes` was restricted in the topology. */
  pinned: boolean;
  /**
   * The node running the service's quorum arbiter (Galera's garbd): one more vote in the
   * service's own quorum, no data, outside Pacemaker (catalogue `majority.arbiter`).
   */
  arbiter?: string;
  /** Services of the same cluster this one starts after: catalogue order plus `after:`. */
  after: string[];
  /** What the service takes of a node's capacities, key-sorted. */
  utilization?: Record<string, number>;
  /** Location rules written for the service. */
  rules?: ServiceRule[];
  /** Of a service run in containers: the bundle (its mode follows from replicas and promoted). */
  bundle?: Bundle;
  /** Of a custom service: its CIB id, operations and meta attributes where written. */
  cib?: CibResource;
  /**
   * What the topology means the cluster to do with the service besides keeping it alive: stopped
   * (target-role Stopped), unmanaged (is-managed false), in maintenance. Absent: started and managed.
   */
  intent?: ServiceIntent;
  pointer: string;
}

/** A service held out of Pacemaker's care on purpose; each field is set only when the topology says so. */
export interface ServiceIntent {
  stopped?: true;
  unmanaged?: true;
  maintenance?: true;
}

/**
 * A fence device shared by nodes of a cluster (a switched PDU): fenced nodes are its `ports` keys,
 * each reached at its port. It is tried after the node's own device (fencing level 2).
 */
export interface FenceDevice {
  name: string;
  agent: string;
  address?: string;
  username?: string;
  /** Name of the secret holding the password. */
  password?: string;
  /** Agent parameters; a secret one holds CIB_SECRET and is named in secretParams. */
  params: Record<string, string>;
  /** Parameter -> name of the secret its value comes from (Pacemaker's CIB secrets), key-sorted. */
  secretParams: Record<string, string>;
  /** Node -> port (outlet) on the device, key-sorted. */
  ports: Record<string, string>;
  /** Node names in the order the topology writes them (pcmk_host_list keeps that order). */
  portOrder: string[];
  /** The device as the cluster runs it (an imported one); hostList: pcmk_host_list, not pcmk_host_map. */
  cib?: CibFence & { hostList?: boolean };
  pointer: string;
}

/** A quorum device: every member's corosync-qdevice asks corosync-qnetd on `host` for a vote. */
export interface Qdevice {
  /** The topology node running corosync-qnetd (never a member of the cluster). */
  host: string;
  /** The network the members reach the host on (default: the cluster's first link). */
  network: string;
  algorithm: 'ffsplit' | 'lms';
  /** lowest, highest, or a member's name (its partition wins a tie). */
  tieBreaker: string;
  tls: 'on' | 'off' | 'required';
  port: number;
  pointer: string;
}

/**
 * SBD on every member: with shared disks (1-3 devices, fence_sbd writes a poison pill there) or
 * watchdog-only (no devices: a node that loses quorum or its Pacemaker resets itself, and the
 * others wait stonith-watchdog-timeout). Times in seconds.
 */
export interface Sbd {
  /** Shared block devices, as written; empty for watchdog-only (diskless) SBD. */
  devices: string[];
  /** SBD_WATCHDOG_DEV. */
  watchdog: string;
  /** SBD_WATCHDOG_TIMEOUT, and the watchdog timeout `sbd create -1` writes to the disks. */
  watchdogTimeout: number;
  /** msgwait (`sbd create -4`) of disk-based SBD: how long a poison pill takes to be obeyed. */
  msgwait: number;
  startmode: 'always' | 'clean';
  /** The fence_sbd device's id, operations and meta as the cluster runs them (an imported one). */
  cib?: CibFence;
  pointer: string;
}

export interface Cluster {
  name: string;
  nodes: string[];
  qdevice?: Qdevice;
  sbd?: Sbd;
  /** Shared fence devices by name. */
  fenceDevices: Record<string, FenceDevice>;
  remoteNodes: string[];
  links: string[];
  authkey?: string;
  /** levels: written out (node -> levels -> device names), replacing the derived ones. */
  fencing: { enabled: boolean; reason?: string; levels?: Record<string, string[][]>; level_ids?: Record<string, string[]>; target_levels?: TargetLevelsInput[] };
  vips: Record<string, Vip>;
  services: Record<string, Service>;
  /** Cluster properties written in the topology; null: left out (hactl sets no value of its own). */
  properties: Record<string, string | null>;
  /** rsc_defaults and op_defaults when written: exactly these replace hactl's choices. */
  rscDefaults?: Record<string, string>;
  opDefaults?: Record<string, string>;
  /** CIB XML fragments the typed format cannot express (raw_cib), in RAW_SECTIONS order, as written. */
  rawCib: { section: RawSection; xml: string; pointer: string }[];
  /** Set constraints, alerts and tags. */
  blocks: ClusterBlocks;
  pointer: string;
}

export interface Pool {
  name: string;
  pgs: number;
  client?: string;
  pointer: string;
}

export interface Ceph {
  fsid: string;
  replicas: number;
  minReplicas: number;
  publicNetwork?: string;
  clusterNetwork?: string;
  filesystem: 'xfs' | 'ext4' | 'btrfs';
  journalSizeMb: number;
  /** What copies are kept apart on (CRUSH chooseleaf type): distinct hosts or only distinct OSDs. */
  failureDomain: 'host' | 'osd';
  pools: Record<string, Pool>;
  /** Nodes with the ceph-mon role, sorted. */
  monitors: string[];
  /** Every OSD of every storage node, by id. */
  osds: Osd[];
  pointer: string;
}

export interface Rate {
  mtbfHours?: number;
  mttrHours?: number;
}

export interface Availability {
  node: Rate;
  link: Rate;
  failoverSeconds?: number;
  cephFailoverSeconds?: number;
  pointer: string;
}

export interface Topology {
  name: string;
  /** Path of the topology file as given; secret files are relative to its directory. */
  file: string;
  release?: Release;
  family?: Family;
  region: string;
  sla?: number;
  /** Failure rates and repair times as written (check fills in its stated defaults). */
  availability?: Availability;
  networks: Record<string, Network>;
  secrets: Record<string, Secret>;
  nodes: Record<string, Node>;
  clusters: Record<string, Cluster>;
  ceph?: Ceph;
  compute?: {
    instances?: Rbd;
    /**
     * Instance HA: compute nodes that are remote nodes of a cluster are fenced at two layers, their
     * power device and then fence_compute (nova marks their service forced down and records them
     * for evacuation). Set with its topology pointer.
     */
    instanceHa?: { pointer: string };
  };
}
