/**
 * An apply plan is data: what will change on which node and in which cluster's CIB, and what runs
 * afterwards. It is printed before anything is done, and it holds no secret value (content diffs
 * are masked; file content to write lives in the payload, which is never printed).
 */
import type { ChangeAction } from '../compile/artifact.js';
import type { DiffLine } from '../diff/index.js';
import type { XmlElement } from '../xml/tree.js';
import type { InitSystem, UnitState, UnitStep } from '../remote/units.js';
import type { CibVersion } from './cib.js';
import type { CorosyncKind } from './corosync.js';
import type { ClusterImpact } from './impact.js';
import type { CertStep } from './qdevice.js';
import type { SbdDisk } from './sbd.js';
import type { BrokerRequest } from '../remote/broker.js';

export type FileChange = 'create' | 'update' | 'unchanged';

export interface FileAction {
  node: string;
  path: string;
  change: FileChange;
  /** What differs: 'content', 'owner', 'group', 'mode'. Empty when unchanged. */
  differs: string[];
  owner: string;
  group: string;
  mode: string;
  install: 'file' | 'block' | 'assignments';
  /** Unified diff lines of the (masked) content, or a one-line summary for binary or secret files. */
  diff: string[];
  onChange: ChangeAction;
  /** sha256 of the node's file when the plan was made (the write refuses if it changed since). */
  was?: string;
  /** sha256 of the content to write. */
  sha256: string;
  /** The content differs only in secret values (compared on the node by digests; not shown). */
  secretOnly?: boolean;
  /** Secrets whose values this run did not have (a dry run without them): not compared. */
  unverified?: string[];
}

/** A service action on one node, run after its files are written. */
export interface NodeAction {
  node: string;
  /** Shell-free description of what runs, e.g. `restart nova-api`. */
  kind: 'reload' | 'restart' | 'mount';
  target: string;
  /** Files whose change asks for it. */
  because: string[];
}

/**
 * A distribution unit of a Pacemaker-managed service on one node (HA review M2): its state at boot
 * as the plan read it, and what apply does so that init never starts it beside Pacemaker; or sbd,
 * which must start at boot with corosync.
 */
export interface UnitAction {
  node: string;
  unit: string;
  init: InitSystem;
  was: UnitState;
  /** What the manifest asks for. */
  want: 'enabled' | 'disabled' | 'masked';
  /** What the steps reach on this node's init system (disabled where it cannot mask). */
  reaches: UnitState;
  /** In order; empty when the unit is already as wanted or not installed. */
  steps: UnitStep[];
  services: string[];
}

/** A corosync.conf or authkey change of one cluster. */
export interface CorosyncAction {
  cluster: string;
  /**
   * reload: `corosync-cfgtool -R` once (every member re-reads its file); rolling-restart: one
   * member at a time, each back online before the next; full-restart: every member at once (the
   * cluster's services stop meanwhile).
   */
  kind: CorosyncKind;
  nodes: string[];
  /** Every member of the cluster: after a restart, each must be online in one quorate partition. */
  members: string[];
  /** One line per changed key or file. */
  reasons: string[];
}

/** A restart of a Pacemaker-managed resource through the cluster (never behind its back). */
export interface ResourceAction {
  cluster: string;
  resource: string;
  because: string[];
}

export interface CibAction {
  cluster: string;
  /** The node the CIB is read from and pushed to. */
  node: string;
  /** The version of the live CIB the plan was computed from. */
  base: CibVersion;
  /** Whether a push is needed (managed drift, or hactl's ownership record changes). */
  drift: boolean;
  /**
   * Objects of the compile already on the cluster but not recorded as hactl's: the push records
   * them (adopts them). An import's objects are adopted this way at the first apply.
   */
  adopt: string[];
  /** Those of `adopt` that differ from the compiled ones: changed only when `adoptForeign`. */
  foreign: string[];
  /** The operator asked to take over foreign objects (apply --adopt). */
  adoptForeign: boolean;
  /** The change as `hactl diff` shows it (compiled vs live; managed objects and unmanaged ones). */
  lines: DiffLine[];
  counts: { added: number; removed: number; changed: number; unmanaged: number };
}

/** A quorum device whose qnetd host holds no certificate signed for the cluster yet. */
export interface QdeviceAction {
  cluster: string;
  host: string;
  steps: CertStep[];
}

/** Disks of a cluster's SBD that need `sbd create` (an operator step apply never runs). */
export interface SbdAction {
  cluster: string;
  /** The member the disks were read from, and where the command is to run. */
  node: string;
  disks: SbdDisk[];
  command: string;
}

/**
 * A broker account (HA review C4): what the broker that runs holds of it when the plan was made,
 * and the rabbitmqctl steps apply takes there. The broker's database is shared (a Mnesia on the
 * RBD image that moves with it, or a RabbitMQ cluster's), so one broker is enough.
 */
export interface BrokerAction {
  cluster: string;
  service: string;
  resource: string;
  user: string;
  vhost: string;
  /** Where the broker runs now (undefined: nowhere; apply looks again after the CIB push). */
  node?: string;
  /** running, or why it could not be read: down (rabbitmqctl got no answer), no-ctl, old-cli, stopped (runs nowhere). */
  state: 'running' | 'down' | 'no-ctl' | 'old-cli' | 'stopped';
  /** add_user or change_password, add_vhost, set_permissions, in order; empty: nothing to do (or not known yet). */
  steps: string[];
  /** The password was not compared (a dry run without the secret). */
  unverified?: boolean;
}

export interface Plan {
  topology: string;
  nodes: string[];
  files: FileAction[];
  nodeActions: NodeAction[];
  units: UnitAction[];
  corosync: CorosyncAction[];
  cib: CibAction[];
  resources: ResourceAction[];
  /** Per cluster whose CIB was read: what Pacemaker will do when the CIB change lands, and what runs where now. */
  impact: ClusterImpact[];
  /** Quorum devices whose certificate steps are still to run (absent: none). */
  qdevice?: QdeviceAction[];
  /** SBD disks still to be initialised (absent: none). */
  sbd?: SbdAction[];
  /** Broker accounts (absent: no cluster runs a broker with one). */
  brokers?: BrokerAction[];
}

/** What the executor needs besides the plan: bytes to write and CIB documents. Never printed. */
export interface Payload {
  /** `node\0path` -> content to write. */
  content: Map<string, Buffer>;
  /** cluster -> the live CIB as read (text and tree) and the compiled CIB. */
  cib: Map<string, { liveText: string; live: XmlElement; compiled: XmlElement }>;
  /** `cluster\0resource` -> the broker account to make and its password. */
  brokers?: Map<string, { request: BrokerRequest; password: string }>;
}

export function fileKey(node: string, path: string): string {
  return `${node}\u0000${path}`;
}

export function changedFiles(plan: Plan): FileAction[] {
  return plan.files.filter((f) => f.change !== 'unchanged');
}

/** True when applying the plan would change nothing anywhere. */
export function isEmpty(plan: Plan): boolean {
  return changedFiles(plan).length === 0 && plan.units.every((u) => u.steps.length === 0) && plan.cib.every((c) => !c.drift) && !plan.qdevice?.length && !plan.sbd?.length && !(plan.brokers ?? []).some((b) => brokerPending(plan, b));
}

/**
 * Whether apply does something for a broker account: steps the plan read, or a broker not running
 * yet that this apply's CIB push starts (it is read again after the push).
 */
export function brokerPending(plan: Plan, b: BrokerAction): boolean {
  if (b.steps.length) return true;
  return b.state === 'stopped' && plan.cib.some((c) => c.cluster === b.cluster && c.drift);
}
