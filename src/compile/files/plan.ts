/**
 * What each node gets: one PlannedFile per file, with the template, the grammar its values were
 * checked against, the render context and the manifest metadata. Pure data; index.ts renders.
 */
import { createHash } from 'node:crypto';
import { pick, SERVICES, type Family } from '../../catalog/index.js';
import { sinceFlags } from '../../vocabulary.js';
import type { Grammar } from '../../formats/grammars.js';
import { processesOf } from '../../model/resolve.js';
import type { Cluster, Node, Topology } from '../../model/types.js';
import type { ChangeAction } from '../artifact.js';
import {
  cephPublicNetwork,
  endpoint,
  familyOf,
  instancesImage,
  isCephNode,
  mountOf,
  ownVip,
  placements,
  poolOfClient,
  secretName,
  type Placement,
  type SecretPurpose,
} from './facts.js';
import { rbdClient, type Gap } from './gaps.js';
import { nodeIdOf } from '../pacemaker/ids.js';
import { networkingName, OPENSTACK_FILES, type OpenStackFile } from './openstack.js';

export interface PlannedFile {
  node: string;
  target: string;
  template: string;
  grammar: Grammar;
  context: object;
  owner: string;
  group: string;
  mode: string;
  services: string[];
  onChange: ChangeAction;
  install: 'file' | 'block';
  /** Secret names the file may refer to (render checks it refers to no others). */
  secrets: string[];
  /** Group of the file once it refers to a secret (mode 0640); files without secrets are root:root 0644. */
  secretGroup?: string;
  /** Cache key: nodes whose contexts are equal by construction share one rendering. */
  shareKey?: string;
}

/** A file whose whole content is one secret: never in out/, installed by apply from the secret. */
export interface SecretFile {
  node: string;
  target: string;
  owner: string;
  group: string;
  mode: string;
  secret: string;
  services: string[];
  onChange: ChangeAction;
}

export interface NodePlan {
  files: PlannedFile[];
  secretFiles: SecretFile[];
}

const CEPH_CONF = '/etc/ceph/ceph.conf';
const keyring = (client: string) => `/etc/ceph/ceph.client.${client}.keyring`;

/** Options per OSD filesystem (mkfs and mount), as the Ceph docs of the time advised. */
const OSD_FS: Record<string, { mkfs: string; mount: string; omap: boolean }> = {
  xfs: { mkfs: '-f -i size=2048', mount: 'rw,noatime,inode64', omap: false },
  // ext4's xattrs are too small for Ceph's metadata: keep them in the omap.
  ext4: { mkfs: '', mount: 'rw,noatime,user_xattr', omap: true },
  btrfs: { mkfs: '', mount: 'rw,noatime', omap: false },
};

function all(actions: ChangeAction[]): ChangeAction {
  if (actions.length === 0) return { kind: 'none' };
  if (actions.length === 1) return actions[0]!;
  return { kind: 'all', actions };
}

/** A name-based UUID (RFC 4122 version 5, SHA-1) so derived ids are stable across compiles. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The libvirt secret uuid that nova and cinder name for a cephx client: derived from the fsid. */
export function libvirtSecretUuid(fsid: string, client: string): string {
  return uuidV5(fsid, `libvirt-secret:client.${client}`);
}

/** Shared value of cinder's host= on every cinder-volume node of a cluster (volumes survive failover). */
export function cinderHost(cluster: string): string {
  return `cinder-${cluster}`;
}

/** Every node's files; `gapsOf` says what each OpenStack file lacks (lower/file-needs.ts reports it). */
export function planNodes(t: Topology, gapsOf: (spec: OpenStackFile) => Gap[]): Map<string, NodePlan> {
  const family = familyOf(t);
  const byNode = placements(t);
  const out = new Map<string, NodePlan>();
  const ceph = t.ceph ? cephContext(t) : undefined;
  // Files with a shareKey have equal contexts by construction: one context object per key (a
  // cluster with 740 remote nodes would otherwise hold 740 copies of a 743-entry hosts list).
  const shared = new Map<string, object>();
  const once = <T extends object>(key: string, build: () => T): T => {
    let c = shared.get(key) as T | undefined;
    if (!c) shared.set(key, (c = build()));
    return c;
  };
  for (const n of Object.values(t.nodes)) {
    const plan: NodePlan = { files: [], secretFiles: [] };
    const cluster = n.cluster ? t.clusters[n.cluster] : undefined;
    if (cluster) {
      plan.files.push(corosyncFile(t, cluster, n, once));
      plan.files.push(hostsFile(t, cluster, n, once));
      if (cluster.authkey) {
        plan.secretFiles.push({
          node: n.name,
          target: '/etc/corosync/authkey',
          owner: 'root',
          group: 'root',
          mode: '0400',
          secret: cluster.authkey,
          services: ['corosync'],
          // A new key only takes effect at a restart, and every member must get it at once.
          onChange: { kind: 'corosync-restart' },
        });
      }
    }
    const remoteOf = n.remoteOf ? t.clusters[n.remoteOf] : undefined;
    if (remoteOf) plan.files.push(hostsFile(t, remoteOf, n, once));
    // pacemaker_remote: the cluster and its remote nodes share /etc/pacemaker/authkey. hactl uses
    // the cluster's corosync key for it (one secret per cluster; both are random keys).
    const remoteCluster = remoteOf ?? (cluster?.remoteNodes.length ? cluster : undefined);
    if (remoteCluster?.authkey) {
      plan.secretFiles.push({
        node: n.name,
        target: '/etc/pacemaker/authkey',
        owner: 'root',
        group: 'haclient',
        mode: '0640',
        secret: remoteCluster.authkey,
        services: remoteOf ? ['pacemaker_remote'] : ['pacemaker'],
        // The cluster reads the key when it connects to a remote node; the remote side at start.
        onChange: remoteOf ? { kind: 'restart', service: 'pacemaker_remote' } : { kind: 'none' },
      });
    }
    if (n.bond) plan.files.push(bondFile(n));
    const mine = byNode.get(n.name) ?? [];
    if (ceph && isCephNode(n)) plan.files.push(cephFile(ceph, n, mine, family));
    const rbd = rbdFiles(t, n, mine);
    plan.files.push(...rbd);
    const os = openstackFiles(t, family, n, mine, gapsOf);
    plan.files.push(...os);
    if (os.some((f) => f.template === 'local_settings.py')) plan.secretFiles.push(...openstackSecretFiles(t, n, mine));
    plan.files.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    out.set(n.name, plan);
  }
  return out;
}

type Once = <T extends object>(key: string, build: () => T) => T;

function corosyncFile(t: Topology, c: Cluster, n: Node, once: Once): PlannedFile {
  const shareKey = `corosync:${c.name}`;
  return {
    node: n.name,
    target: '/etc/corosync/corosync.conf',
    template: 'corosync.conf',
    grammar: 'corosync',
    context: once(shareKey, () => corosyncContext(t, c)),
    owner: 'root',
    group: 'root',
    mode: '0644',
    services: ['corosync'],
    // corosync-cfgtool -R applies timer, logging, quorum and whole-node changes; apply compares
    // the files and escalates to a rolling restart (values read at start) or a full restart of
    // every member (crypto, transport, cluster name) as src/apply/corosync.ts classifies it.
    onChange: { kind: 'corosync-reload' },
    install: 'file',
    secrets: [],
    shareKey,
  };
}

function corosyncContext(t: Topology, c: Cluster) {
  const nodes = c.nodes.map((name) => ({
    name,
    // One rule for corosync nodeids and the CIB's node ids (pacemaker/ids.ts).
    id: nodeIdOf(c, name),
    addrs: c.links.map((net, number) => ({ number, address: t.nodes[name]?.addresses[net] ?? '' })),
  }));
  const crypto = !!c.authkey;
  return {
    cluster: c.name,
    // Without an authkey the cluster runs unencrypted (the test cluster); the schema's authkey
    // turns crypto on, and the key itself is installed by apply from the secret.
    cipher: crypto ? 'aes256' : 'none',
    hash: crypto ? 'sha256' : 'none',
    links: c.links.map((_net, number) => ({ number })),
    multiLink: c.links.length > 1,
    nodes,
    twoNode: c.nodes.length === 2,
  };
}

/** /etc/hosts block: every peer of the node's cluster (members and remote nodes) on link 0. */
function hostsFile(t: Topology, c: Cluster, n: Node, once: Once): PlannedFile {
  const shareKey = `hosts:${c.name}`;
  const net = c.links[0] ?? 'management';
  const hosts = () =>
    [...c.nodes, ...c.remoteNodes].map((name) => ({ name, address: t.nodes[name]?.addresses[net] ?? '' })).filter((h) => h.address);
  return {
    node: n.name,
    target: '/etc/hosts',
    template: 'hosts',
    grammar: 'hosts',
    context: once(shareKey, () => ({ hosts: hosts() })),
    owner: 'root',
    group: 'root',
    mode: '0644',
    services: [],
    onChange: { kind: 'none' },
    install: 'block',
    secrets: [],
    shareKey,
  };
}

function bondFile(n: Node): PlannedFile {
  const b = n.bond!;
  return {
    node: n.name,
    target: `/etc/network/interfaces.d/${b.name}`,
    template: 'bond',
    grammar: 'ifupdown',
    context: { name: b.name, mode: b.mode, slaves: b.interfaces, lacp: b.mode === '802.3ad' },
    owner: 'root',
    group: 'root',
    mode: '0644',
    services: ['networking'],
    onChange: { kind: 'ifup', interface: b.name },
    install: 'file',
    secrets: [],
  };
}

interface CephContext {
  fsid: string;
  monMembers: string;
  monHost: string;
  mons: { name: string; address: string }[];
  publicNetwork: string | null;
  clusterNetwork: string | null;
  size: number;
  minSize: number;
  fs: string;
  mkfs: string;
  mount: string;
  omap: boolean;
  journalSize: number;
  osds: { id: number; host: string; data: string; journal: string | null }[];
  clients: { name: string; keyring: string }[];
}

function cephContext(t: Topology): CephContext {
  const c = t.ceph!;
  const pub = cephPublicNetwork(t);
  const mons = c.monitors.map((name) => ({ name, address: t.nodes[name]?.addresses[pub] ?? '' }));
  const fs = OSD_FS[c.filesystem]!;
  const clients = [...new Set(Object.values(c.pools).map((p) => p.client).filter((x): x is string => !!x))].sort();
  return {
    fsid: c.fsid,
    monMembers: mons.map((m) => m.name).join(', '),
    monHost: mons.map((m) => m.address).join(','),
    mons,
    publicNetwork: c.publicNetwork ? (t.networks[c.publicNetwork]?.cidr ?? null) : null,
    clusterNetwork: c.clusterNetwork ? (t.networks[c.clusterNetwork]?.cidr ?? null) : null,
    size: c.replicas,
    minSize: c.minReplicas,
    fs: c.filesystem,
    mkfs: fs.mkfs,
    mount: fs.mount,
    omap: fs.omap,
    journalSize: c.journalSizeMb,
    osds: c.osds.map((o) => ({ id: o.id, host: o.host, data: o.data, journal: o.journal ?? null })),
    clients: clients.map((name) => ({ name, keyring: keyring(name) })),
  };
}

function cephFile(ceph: CephContext, n: Node, mine: Placement[], family: Family): PlannedFile {
  // A daemon host starts the daemons whose section names it as `host` (ceph's init without -a,
  // which hactl never uses): an OSD host needs its own [osd.N] sections and the monitors', not
  // every other host's. Clients (controllers, compute, gateways) need only the global and client
  // sections. On a 1000-node cloud the full OSD list made each storage node's file ~190 KB.
  const daemons = n.roles.includes('storage') || n.roles.includes('ceph-mon');
  const osds = daemons ? ceph.osds.filter((o) => o.host === n.name) : [];
  // Each radosgw node carries its own gateway section; every other node shares one rendering.
  const rgw = n.roles.includes('radosgw')
    ? {
        name: `radosgw.${n.name}`,
        host: n.name,
        keyring: keyring(`radosgw.${n.name}`),
        socket: `/var/run/ceph/ceph.client.radosgw.${n.name}.fastcgi.sock`,
        log: `/var/log/ceph/client.radosgw.${n.name}.log`,
      }
    : null;
  return {
    node: n.name,
    target: CEPH_CONF,
    template: 'ceph.conf',
    grammar: 'ceph',
    context: { ...ceph, mons: daemons ? ceph.mons : [], osds, rgw },
    owner: 'root',
    group: 'root',
    mode: '0644',
    services: cephServices(n, mine, family),
    // Ceph daemons read ceph.conf when they start; hactl never restarts monitors or OSDs on its
    // own (a rolling restart is an operator's decision, one daemon at a time, with the cluster healthy).
    onChange: { kind: 'none' },
    install: 'file',
    secrets: [],
    shareKey: rgw || osds.length ? undefined : daemons ? 'ceph:monitors' : 'ceph:clients',
  };
}

/** Readers of ceph.conf: the Ceph daemons, rbdmap and the OpenStack processes that use librados. */
function cephServices(n: Node, mine: Placement[], family: Family): string[] {
  const s: string[] = [];
  if (n.roles.includes('ceph-mon')) s.push('ceph-mon');
  if (n.roles.includes('storage') && n.osds.length) s.push('ceph-osd');
  if (n.roles.includes('radosgw')) s.push('radosgw');
  if (n.roles.includes('compute')) s.push('nova-compute', 'rbdmap');
  for (const p of mine) {
    for (const proc of processesOf(p.service, family)) if (CEPH_CLIENTS.includes(proc.id)) s.push(proc.daemon);
  }
  return [...new Set(s)].sort();
}

/** Catalogue processes that talk to Ceph through librados (their pools' clients). */
const CEPH_CLIENTS = ['glance-api', 'cinder-volume'];

/** rbdmap entries (compute: the node's instances image; service nodes: their RBD images) and fstab. */
function rbdFiles(t: Topology, n: Node, mine: Placement[]): PlannedFile[] {
  const images: { pool: string; image: string; client: string; keyring: string }[] = [];
  const files: PlannedFile[] = [];
  let computeMount: string | undefined;
  const inst = t.compute?.instances;
  const instClient = inst ? rbdClient(t, inst.pool) : undefined;
  if (n.roles.includes('compute') && inst?.mount && instClient && 'client' in instClient) {
    const client = instClient.client;
    const image = instancesImage(inst.image, n.name);
    images.push({ pool: inst.pool, image, client, keyring: keyring(client) });
    computeMount = inst.mount;
    files.push({
      node: n.name,
      target: '/etc/fstab',
      template: 'fstab',
      grammar: 'fstab',
      // _netdev: mounted after the network (and rbdmap) are up; noatime spares the cluster writes.
      context: { device: `/dev/rbd/${inst.pool}/${image}`, mount: inst.mount, fs: 'xfs', options: '_netdev,noatime' },
      owner: 'root',
      group: 'root',
      mode: '0644',
      services: [],
      onChange: { kind: 'mount', path: computeMount },
      install: 'block',
      secrets: [],
    });
  }
  // Pacemaker maps and mounts these itself (ocf:ceph:rbd, Filesystem); the entry names the image
  // for the operator's `rbdmap map` in recovery, and no fstab line competes with Pacemaker.
  for (const p of mine) {
    const st = p.service.storage;
    const c = st ? rbdClient(t, st.pool) : undefined;
    if (!st || !c || !('client' in c)) continue;
    images.push({ pool: st.pool, image: st.image, client: c.client, keyring: keyring(c.client) });
  }
  if (images.length) {
    files.push({
      node: n.name,
      target: '/etc/ceph/rbdmap',
      template: 'rbdmap',
      grammar: 'rbdmap',
      context: { images },
      owner: 'root',
      group: 'root',
      mode: '0644',
      services: computeMount ? ['rbdmap'] : [],
      // rbdmap.service's reload maps new entries without unmapping mounted ones.
      onChange: computeMount ? { kind: 'reload', service: 'rbdmap' } : { kind: 'none' },
      install: 'block',
      secrets: [],
    });
  }
  return files;
}

interface Endpoints {
  [k: string]: { host: string } | null;
}

/** The OpenStack files a node reads, with their readers (empty when the node reads none). */
export function openstackFilesOf(family: Family, n: Node, mine: Placement[]) {
  const compute = n.roles.includes('compute');
  const out: { spec: OpenStackFile; readers: ReturnType<typeof readersOn>; computeUnit: string | undefined }[] = [];
  if (!mine.length && !compute) return out;
  for (const spec of OPENSTACK_FILES) {
    const readers = readersOn(spec, mine, family);
    const computeUnit = compute && spec.compute ? pick(spec.compute, family) : undefined;
    if (readers.length || computeUnit) out.push({ spec, readers, computeUnit });
  }
  return out;
}

function openstackFiles(t: Topology, family: Family, n: Node, mine: Placement[], gaps: (spec: OpenStackFile) => Gap[]): PlannedFile[] {
  const files: PlannedFile[] = [];
  for (const { spec, readers, computeUnit } of openstackFilesOf(family, n, mine)) {
    // A file with a hole is left out: lowering reported it as an error, so this plan is never compiled.
    if (gaps(spec).length) continue;
    const actions: ChangeAction[] = readers.map((r): ChangeAction => ({ kind: 'restart', service: r.process, cluster: r.cluster }));
    const services = readers.map((r) => r.daemon);
    if (computeUnit) {
      actions.push({ kind: 'restart', service: computeUnit });
      services.push(computeUnit);
    }
    files.push({
      node: n.name,
      target: pick(spec.target, family),
      template: pick(spec.template, family),
      grammar: spec.grammar,
      context: openstackContext(t, family, n, mine, spec),
      owner: 'root',
      group: 'root',
      mode: '0644',
      services: [...new Set(services)].sort(),
      onChange: all(actions),
      install: 'file',
      secrets: pick(spec.secrets, family).map((p) => secretName(t, p)),
      secretGroup: pick(spec.group, family),
    });
  }
  return files;
}

/** Where Horizon reads its Django SECRET_KEY (local_settings.py opens it). */
export const HORIZON_KEY_FILE = '/etc/openstack-dashboard/secret_key';

/** Whole-file secrets of OpenStack services on a node: Horizon's session key. */
function openstackSecretFiles(t: Topology, n: Node, mine: Placement[]): SecretFile[] {
  const horizon = mine.filter((p) => p.key === 'horizon');
  if (!horizon.length) return [];
  return [
    {
      node: n.name,
      target: HORIZON_KEY_FILE,
      owner: 'root',
      // Apache's user on Debian and Ubuntu runs the dashboard.
      group: 'www-data',
      mode: '0640',
      secret: secretName(t, 'horizon'),
      services: ['apache2'],
      onChange: all(horizon.map((p) => ({ kind: 'restart', service: 'horizon', cluster: p.cluster.name }))),
    },
  ];
}

function readersOn(spec: OpenStackFile, mine: Placement[], family: Family): { process: string; daemon: string; cluster: string }[] {
  const out: { process: string; daemon: string; cluster: string }[] = [];
  for (const r of spec.readers) {
    for (const p of mine) {
      if (p.key !== r.key) continue;
      for (const proc of processesOf(p.service, family)) {
        if (r.processes && !r.processes.includes(proc.id)) continue;
        out.push({ process: proc.id, daemon: proc.daemon, cluster: p.cluster.name });
      }
    }
  }
  return out;
}

/** Every catalogue endpoint by its template name: the VIP when the file needs or uses it, else null. */
function endpointsFor(t: Topology, family: Family, spec: OpenStackFile): Endpoints {
  const wanted = new Set([...pick(spec.needs, family), ...(spec.uses ?? [])]);
  const out: Endpoints = {};
  for (const entry of SERVICES) {
    if (!entry.endpoint) continue;
    const e = wanted.has(entry.key) ? endpoint(t, entry.key) : undefined;
    out[entry.endpoint.as ?? entry.key] = e && 'address' in e ? { host: e.address } : null;
  }
  return out;
}

function openstackContext(t: Topology, family: Family, n: Node, mine: Placement[], spec: OpenStackFile): object {
  const secrets: Record<SecretPurpose, string> = {
    adminToken: secretName(t, 'adminToken'),
    service: secretName(t, 'service'),
    rabbit: secretName(t, 'rabbit'),
    metadata: secretName(t, 'metadata'),
    horizon: secretName(t, 'horizon'),
  };
  const cinderPool = poolOfClient(t, 'cinder');
  const glancePool = poolOfClient(t, 'glance');
  const cinder = mine.find((p) => p.key === 'cinder');
  const own = (key: string) => {
    const p = mine.find((x) => x.key === key);
    return p ? (ownVip(p) ?? null) : null;
  };
  const mysql = mine.find((p) => p.key === 'mysql');
  const name = networkingName(family);
  return {
    // Templates ask "this family or later", never "this family": a family added later inherits
    // the newest options until its templates say otherwise.
    since: sinceFlags(family),
    net: { name, Name: name === 'quantum' ? 'Quantum' : 'Neutron' },
    node: { name: n.name, address: n.addresses['management'] ?? Object.values(n.addresses)[0] ?? '' },
    region: t.region,
    ep: endpointsFor(t, family, spec),
    secrets,
    ceph: {
      conf: CEPH_CONF,
      cinder: cinderPool && t.ceph ? { pool: cinderPool.name, user: 'cinder', secretUuid: libvirtSecretUuid(t.ceph.fsid, 'cinder') } : null,
      glance: glancePool ? { pool: glancePool.name, user: 'glance' } : null,
    },
    cinderHost: cinder ? cinderHost(cinder.cluster.name) : null,
    instancesPath: t.compute?.instances?.mount ?? '/var/lib/nova/instances',
    bind: { rabbitmq: own('rabbitmq'), mysql: own('mysql') },
    // Least privilege: database credentials only where a process uses the database (nova-compute
    // goes through nova-conductor; the network agents talk RPC to the server).
    controller: mine.some((p) => p.key === 'nova'),
    server: mine.some((p) => p.key === 'quantum-server'),
    secretKeyFile: HORIZON_KEY_FILE,
    mysqlDatadir: mysql ? (mountOf(mysql.service) ?? null) : null,
  };
}
