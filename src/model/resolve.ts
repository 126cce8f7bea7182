/**
 * Turns a schema-valid TopologyInput into the resolved Topology: defaults applied, node settings
 * merged over `defaults`, catalogue entries attached, OSD ids assigned, every map key-sorted.
 * It never fails: dangling references are kept as written and reported by the rules.
 */
import { DEFAULT_FAMILY, entryByKey, findService, pick } from '../catalog/index.js';
import { pointerOf } from '../diagnostics.js';
import { RAW_SECTIONS, type RawSection } from '../vocabulary.js';
import { parseCidr } from '../util/ip.js';
import type { AvailabilityInput, CibFenceInput, CibResourceInput, ClusterInput, FencingInput, ParamValue, RateInput, TopologyInput } from './input.js';
import { CIB_SECRET, type Availability, type Ceph, type CibFence, type CibResource, type Cluster, type Fencing, type Network, type Node, type Osd, type Rate, type Secret, type Service, type ServiceIntent, type Topology } from './types.js';
import { compareStrings } from '../util/compare.js';
import { bundleMode, resolveBlocks, resolveBundle, resolveServiceRules, sortedPlain } from './blocks.js';
import { familyOfRelease, releaseOf } from '../vocabulary.js';

export function sortedEntries<T>(rec: Record<string, T> | undefined): [string, T][] {
  return Object.entries(rec ?? {}).sort(([a], [b]) => compareStrings(a, b));
}

/**
 * Records by name have no prototype: `t.nodes['constructor']` is undefined like any other unknown
 * name, never Object's constructor (security review M5). Every later stage looks names up here.
 */
function sortedRecord<T, U>(rec: Record<string, T> | undefined, f: (name: string, v: T) => U): Record<string, U> {
  const out = Object.create(null) as Record<string, U>;
  for (const [k, v] of sortedEntries(rec)) out[k] = f(k, v);
  return out;
}

export function resolve(input: TopologyInput, file: string): Topology {
  const family = input.openstack ? familyOfRelease(input.openstack.release) : undefined;
  const networks = sortedRecord(input.networks, (name, cidr): Network => {
    const c = parseCidr(cidr);
    return { name, cidr, prefix: c.prefix, pointer: pointerOf('networks', name) };
  });
  const secrets = sortedRecord(input.secrets, (name, s): Secret => ({ name, ...s, pointer: pointerOf('secrets', name) }));

  const membership = new Map<string, string>();
  const remoteMembership = new Map<string, string>();
  for (const [cname, c] of sortedEntries(input.clusters)) {
    for (const n of c.nodes) if (!membership.has(n)) membership.set(n, cname);
    for (const n of c.remote_nodes ?? []) if (!remoteMembership.has(n)) remoteMembership.set(n, cname);
  }

  // Nodes a cluster may have to fence: they inherit defaults.fencing even without a fencing key.
  const fenced = new Set<string>();
  for (const [, c] of sortedEntries(input.clusters)) {
    if (c.fencing?.enabled === false) continue;
    for (const n of [...c.nodes, ...(c.remote_nodes ?? [])]) fenced.add(n);
  }
  // SSH goes over the management network; a topology without one reaches a cluster's nodes over
  // the cluster's first corosync link (a network every member has an address on).
  const sshNetworkOf = (node: string): string => {
    if (input.networks.management !== undefined) return 'management';
    const c = membership.get(node) ?? remoteMembership.get(node);
    return (c !== undefined ? input.clusters?.[c]?.links?.[0] : undefined) ?? 'management';
  };
  // User and port stay unset unless written: the operator's ssh_config (User, Port) then decides.
  const baseSsh = { ...input.defaults?.ssh, ...input.ssh };
  const osds: Osd[] = [];
  const nodes = sortedRecord(input.nodes, (name, n): Node => {
    const fencing = n.fencing
      ? mergeFencing(input.defaults?.fencing, n.fencing, pointerOf('nodes', name, 'fencing'))
      : fenced.has(name) && input.defaults?.fencing
        ? mergeFencing(undefined, input.defaults.fencing, '/defaults/fencing')
        : undefined;
    const nodeOsds = (n.osds ?? []).map((o, i): Osd => {
      const osd: Osd = { id: osds.length, host: name, data: o.data, pointer: pointerOf('nodes', name, 'osds', i) };
      // db: is journal: under its BlueStore name (the schema allows one of them).
      const journal = o.journal ?? o.db;
      if (journal) osd.journal = journal;
      osds.push(osd);
      return osd;
    });
    const node: Node = {
      name,
      roles: [...n.roles],
      addresses: sortedRecord(n.addresses, (_k, v) => v),
      osds: nodeOsds,
      ssh: { network: sshNetworkOf(name), ...baseSsh, ...n.ssh },
      pointer: pointerOf('nodes', name),
    };
    if (fencing) node.fencing = fencing;
    if (n.bond) node.bond = { name: n.bond.name, mode: n.bond.mode ?? '802.3ad', interfaces: [...n.bond.interfaces] };
    if (n.nodeid !== undefined) node.nodeid = n.nodeid;
    if (n.attributes) node.attributes = sortedPlain(n.attributes)!;
    if (n.utilization) node.utilization = sortedPlain(n.utilization)!;
    const c = membership.get(name);
    if (c) node.cluster = c;
    const r = remoteMembership.get(name);
    if (r) node.remoteOf = r;
    return node;
  });

  const topology: Topology = {
    name: input.name,
    file,
    region: input.openstack?.region ?? 'RegionOne',
    networks,
    secrets,
    nodes,
    clusters: sortedRecord(input.clusters, (name, c) => resolveCluster(name, c, networks, family ?? DEFAULT_FAMILY)),
  };
  if (input.openstack) {
    topology.release = releaseOf(input.openstack.release);
    topology.family = family!;
  }
  if (input.sla !== undefined) topology.sla = input.sla;
  if (input.availability) topology.availability = resolveAvailability(input.availability);
  if (input.ceph) topology.ceph = resolveCeph(input, nodes, osds);
  const inst = input.compute?.instances?.rbd;
  if (input.compute?.instance_ha) topology.compute = { instanceHa: { pointer: pointerOf('compute', 'instance_ha') } };
  if (inst) {
    topology.compute = {
      ...topology.compute,
      instances: {
        pool: inst.pool,
        image: inst.image ?? 'instances',
        pointer: pointerOf('compute', 'instances', 'rbd'),
        ...(inst.mount ? { mount: inst.mount } : {}),
        ...(inst.size ? { size: inst.size } : {}),
      },
    };
  }
  return topology;
}

function resolveAvailability(a: AvailabilityInput): Availability {
  const rate = (r: RateInput | undefined): Rate => ({
    ...(r?.mtbf_hours !== undefined ? { mtbfHours: r.mtbf_hours } : {}),
    ...(r?.mttr_hours !== undefined ? { mttrHours: r.mttr_hours } : {}),
  });
  return {
    node: rate(a.node),
    link: rate(a.link),
    ...(a.failover_seconds !== undefined ? { failoverSeconds: a.failover_seconds } : {}),
    ...(a.ceph_failover_seconds !== undefined ? { cephFailoverSeconds: a.ceph_failover_seconds } : {}),
    pointer: '/availability',
  };
}

/** An imported resource's CIB fields, meta attributes key-sorted. */
function resolveCib(c: CibResourceInput): CibResource {
  const out: CibResource = {};
  if (c.id !== undefined) out.id = c.id;
  if (c.operations) out.operations = c.operations.map((o) => ({ ...o }));
  if (c.meta) out.meta = sortedPlain(c.meta)!;
  if (c.clone_id !== undefined) out.cloneId = c.clone_id;
  if (c.clone_meta) out.cloneMeta = sortedPlain(c.clone_meta)!;
  if (c.bundle_id !== undefined) out.bundleId = c.bundle_id;
  if (c.group_id !== undefined) {
    out.group = {
      id: c.group_id,
      meta: sortedPlain(c.group_meta) ?? {},
      members: (c.group_members ?? []).map((m) => ({ id: m.id, agent: m.agent, params: sortedPlain(m.params) ?? {}, operations: m.operations.map((o) => ({ ...o })), meta: sortedPlain(m.meta) ?? {} })),
    };
  }
  return out;
}

/** Agent parameters as the model holds them: text values, and secret references as CIB_SECRET plus secretParams. */
function splitParams(params: Record<string, ParamValue> | undefined): { params: Record<string, string>; secretParams: Record<string, string> } {
  const secretParams: Record<string, string> = {};
  const plain = sortedRecord(params, (k, v) => {
    if (typeof v === 'string') return v;
    secretParams[k] = v.secret;
    return CIB_SECRET;
  });
  return { params: plain, secretParams };
}

function mergeFencing(defaults: FencingInput | undefined, own: FencingInput, pointer: string): Fencing | undefined {
  const m = { ...defaults, ...own, params: { ...defaults?.params, ...own.params } };
  if (!m.agent) return undefined;
  const f: Fencing = { agent: m.agent, lanplus: m.lanplus ?? true, ...splitParams(m.params), pointer };
  if (m.address) f.address = m.address;
  if (m.username) f.username = m.username;
  if (m.password) f.password = m.password;
  if (own.cib) {
    const { location_id, ...cib } = own.cib;
    f.cib = { ...resolveCibFence(cib), ...(location_id !== undefined ? { locationId: location_id } : {}) };
  }
  return f;
}

/** An imported fence device's CIB fields, meta attributes key-sorted. */
function resolveCibFence(c: CibFenceInput): CibFence {
  const out: CibFence = {};
  if (c.id !== undefined) out.id = c.id;
  if (c.operations) out.operations = c.operations.map((o) => ({ ...o }));
  if (c.meta) out.meta = sortedPlain(c.meta)!;
  return out;
}

function resolveCluster(name: string, c: ClusterInput, networks: Record<string, Network>, family: NonNullable<Topology['family']>): Cluster {
  const pointer = pointerOf('clusters', name);
  const cluster: Cluster = {
    name,
    nodes: [...c.nodes],
    remoteNodes: [...(c.remote_nodes ?? [])],
    fenceDevices: sortedRecord(c.fence_devices, (dname, d) => {
      const dev: Cluster['fenceDevices'][string] = {
        name: dname,
        agent: d.agent,
        ...splitParams(d.params),
        ports: sortedRecord(d.ports, (_k, v) => v),
        portOrder: Object.keys(d.ports),
        pointer: pointerOf('clusters', name, 'fence_devices', dname),
      };
      if (d.cib) {
        const { host_list, ...cib } = d.cib;
        dev.cib = { ...resolveCibFence(cib), ...(host_list ? { hostList: true } : {}) };
      }
      if (d.address) dev.address = d.address;
      if (d.username) dev.username = d.username;
      if (d.password) dev.password = d.password;
      return dev;
    }),
    links: [...(c.links ?? ['management'])],
    fencing: c.fencing ? { ...c.fencing, ...(c.fencing.levels ? { levels: Object.fromEntries(Object.entries(c.fencing.levels).map(([n, l]) => [n, l.map((d) => [...d])])) } : {}) } : { enabled: true },
    vips: sortedRecord(c.vips, (vname, v) => {
      const vip: Cluster['vips'][string] = { name: vname, network: v.network, address: v.address, pointer: pointerOf('clusters', name, 'vips', vname) };
      const net = networks[v.network];
      if (net) vip.prefix = net.prefix;
      if (v.nic) vip.nic = v.nic;
      if (v.cib) vip.cib = resolveCib(v.cib);
      return vip;
    }),
    services: {},
    properties: sortedRecord(c.properties, (_k, v) => (v === null ? null : String(v))),
    rawCib: (Object.keys(RAW_SECTIONS) as RawSection[]).flatMap((section) => {
      const xml = c.raw_cib?.[section];
      return xml === undefined ? [] : [{ section, xml, pointer: pointerOf('clusters', name, 'raw_cib', section) }];
    }),
    blocks: resolveBlocks(name, c),
    pointer,
  };
  if (c.authkey) cluster.authkey = c.authkey;
  if (c.rsc_defaults) cluster.rscDefaults = sortedRecord(c.rsc_defaults, (_k, v) => String(v));
  if (c.op_defaults) cluster.opDefaults = sortedRecord(c.op_defaults, (_k, v) => String(v));
  if (c.qdevice) {
    const q = c.qdevice;
    cluster.qdevice = {
      host: q.host,
      network: q.network ?? cluster.links[0]!,
      algorithm: q.algorithm ?? 'ffsplit',
      tieBreaker: q.tie_breaker ?? 'lowest',
      tls: q.tls ?? 'on',
      port: q.port ?? 5403,
      pointer: pointerOf('clusters', name, 'qdevice'),
    };
  }
  if (c.sbd) {
    const devices = [...(c.sbd.devices ?? [])];
    // Diskless SBD with a quorum device must outlast qdevice's sync_timeout (30 s), or a member
    // resets while qnetd is still deciding which partition keeps quorum.
    const watchdogTimeout = c.sbd.watchdog_timeout ?? (!devices.length && c.qdevice ? 35 : 5);
    cluster.sbd = {
      devices,
      watchdog: c.sbd.watchdog ?? '/dev/watchdog',
      watchdogTimeout,
      msgwait: c.sbd.msgwait ?? 2 * watchdogTimeout,
      startmode: c.sbd.startmode ?? 'always',
      ...(c.sbd.cib ? { cib: resolveCibFence(c.sbd.cib) } : {}),
      pointer: pointerOf('clusters', name, 'sbd'),
    };
  }
  const present = new Map<string, string>(); // catalogue key -> service name in this cluster
  for (const [sname, s] of sortedEntries(c.services)) {
    const entry = s.agent || s.bundle ? undefined : findService(sname, family);
    if (entry) present.set(entry.key, sname);
  }
  cluster.services = sortedRecord(c.services, (sname, s): Service => {
    // A bundle runs what the topology says inside it (an agent or nothing): never a catalogue entry.
    const entry = s.agent || s.bundle ? undefined : findService(sname, family);
    const catalogueAfter = (entry?.after ?? []).map((k) => present.get(k)).filter((x): x is string => !!x);
    const svc: Service = {
      name: sname,
      cluster: name,
      mode: s.bundle ? bundleMode(s.bundle) : (s.mode ?? entry?.defaultMode ?? 'active-passive'),
      notify: s.notify ?? entry?.notify ?? false,
      ...splitParams(s.params),
      nodes: s.nodes ? [...s.nodes] : [...c.nodes],
      pinned: !!s.nodes,
      after: [...new Set([...catalogueAfter, ...(s.after ?? [])])].sort(),
      pointer: pointerOf('clusters', name, 'services', sname),
    };
    if (s.instances !== undefined) svc.instances = s.instances;
    if (s.bundle) {
      // Replicas count like a clone's instances; promoted replicas like promoted instances.
      svc.instances = s.bundle.replicas ?? 1;
      if (s.bundle.promoted !== undefined) svc.promotion = { promoted: s.bundle.promoted };
    } else if (svc.mode === 'promotable') {
      // Galera-style services write on every member: promoted on each node they run on.
      const every = entry?.promoteEvery ? (s.instances ?? svc.nodes.length) : 1;
      svc.promotion = { promoted: s.promoted ?? every, ...(s.promoted_per_node !== undefined ? { perNode: s.promoted_per_node } : {}) };
    }
    if (entry) svc.entry = entry;
    if (s.agent) svc.agent = s.agent;
    if (s.vip) svc.vip = s.vip;
    if (s.arbiter) svc.arbiter = s.arbiter;
    if (s.utilization) svc.utilization = sortedPlain(s.utilization)!;
    if (s.rules) svc.rules = resolveServiceRules(s.rules, svc.pointer)!;
    if (s.bundle) svc.bundle = resolveBundle(s.bundle, svc.pointer);
    if (s.cib) svc.cib = resolveCib(s.cib);
    const intent: ServiceIntent = {
      ...(s.target_role === 'stopped' ? { stopped: true as const } : {}),
      ...(s.managed === false ? { unmanaged: true as const } : {}),
      ...(s.maintenance === true ? { maintenance: true as const } : {}),
    };
    if (Object.keys(intent).length) svc.intent = intent;
    if (s.storage) {
      const r = s.storage.rbd;
      svc.storage = { pool: r.pool, image: r.image ?? sname, pointer: pointerOf('clusters', name, 'services', sname, 'storage', 'rbd'), ...(r.size ? { size: r.size } : {}), ...(r.mount ? { mount: r.mount } : {}), ...(r.filesystem ? { filesystem: r.filesystem } : {}) };
    }
    return svc;
  });
  return cluster;
}

function resolveCeph(input: TopologyInput, nodes: Record<string, Node>, osds: Osd[]): Ceph {
  const c = input.ceph!;
  const ceph: Ceph = {
    fsid: c.fsid,
    replicas: c.replicas,
    minReplicas: c.min_replicas ?? Math.max(1, c.replicas - Math.floor(c.replicas / 2)),
    filesystem: c.osd?.filesystem ?? 'xfs',
    journalSizeMb: c.osd?.journal_size_mb ?? 10240,
    failureDomain: c.failure_domain ?? 'host',
    pools: sortedRecord(c.pools, (name, p) => ({ name, pgs: p.pgs, pointer: pointerOf('ceph', 'pools', name), ...(p.client ? { client: p.client } : {}) })),
    monitors: Object.values(nodes)
      .filter((n) => n.roles.includes('ceph-mon'))
      .map((n) => n.name),
    osds,
    pointer: '/ceph',
  };
  if (c.public_network) ceph.publicNetwork = c.public_network;
  if (c.cluster_network) ceph.clusterNetwork = c.cluster_network;
  return ceph;
}

/** The process list of a catalogue service in the topology's family (for compile targets). */
export function processesOf(service: Service, family: NonNullable<Topology['family']>) {
  return (service.entry?.processes ?? []).map((p) => ({
    id: pick(p.id, family),
    daemon: pick(p.daemon, family),
    agent: pick(p.agent, family),
    params: p.params ? pick(p.params, family) : {},
    secretParams: p.secretParams ?? {},
    operations: p.operations,
    meta: p.meta ?? {},
  }));
}

export { entryByKey };
