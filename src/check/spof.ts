/**
 * Single points of failure read off the resolved topology: one failure (a node, a corosync link,
 * a journal SSD, a monitor) that stops a service or makes Ceph data unavailable. Pure: findings are
 * diagnostics with the JSON Pointer of what to change and the fix as the hint.
 */
import { fenceAgentEntry } from '../catalog/index.js';
import { diag, pointerOf, type Diagnostic } from '../diagnostics.js';
import type { Cluster, Service, Topology } from '../model/types.js';
import { isDiskless, sbdFences } from '../model/sbd.js';
import { contains, parseCidr } from '../util/ip.js';
import {
  clusterHeld,
  keptAlive,
  cephDomains,
  cephTolerance,
  dependenciesOf,
  journalGroups,
  monitorsServe,
  placedCopies,
  possibleNodes,
  quoratePartitions,
  serviceTolerance,
  type FailureSet,
} from './model.js';

export function findSpofs(t: Topology): Diagnostic[] {
  return [...Object.values(t.clusters).flatMap((c) => [...heldByIntent(c), ...clusterSpofs(t, c)]), ...cephSpofs(t), ...dependencySpofs(t)];
}

/**
 * Services the topology holds out of Pacemaker's care (stopped, unmanaged, in maintenance): said
 * once each, and left out of the rules below, the rehearsal and the estimate, which are about
 * what Pacemaker keeps alive.
 */
function heldByIntent(c: Cluster): Diagnostic[] {
  const held = clusterHeld(c);
  if (held) {
    const care = held === 'maintenance-mode' ? 'neither starts, stops nor monitors any resource' : 'stops every resource';
    return [diag('HA6131', pointerOf('clusters', c.name, 'properties', held), { cluster: c.name, property: held, care })];
  }
  return Object.values(c.services).flatMap((s) => {
    const i = s.intent;
    if (!i) return [];
    const what = [i.stopped ? 'stopped' : '', i.unmanaged ? 'unmanaged' : '', i.maintenance ? 'in maintenance' : ''].filter(Boolean).join(' and ');
    const how = [i.stopped ? 'target_role: stopped' : '', i.unmanaged ? 'managed: false' : '', i.maintenance ? 'maintenance: true' : ''].filter(Boolean).join(', ');
    const care = i.maintenance ? 'neither starts, stops nor monitors it' : i.unmanaged ? 'neither starts, stops nor moves it' : 'keeps it stopped';
    const key = i.stopped ? 'target_role' : i.unmanaged ? 'managed' : 'maintenance';
    return [diag('HA6130', `${s.pointer}/${key}`, { service: s.name, cluster: c.name, what, how, care })];
  });
}

function clusterSpofs(t: Topology, c: Cluster): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (c.nodes.length === 1) {
    out.push(diag('HA6002', pointerOf('clusters', c.name, 'nodes'), { cluster: c.name, node: c.nodes[0]! }));
  } else {
    for (const s of keptAlive(c)) {
      const nodes = possibleNodes(c, s);
      if (nodes.length === 1) out.push(diag('HA6001', s.pinned ? pointerOf('clusters', c.name, 'services', s.name, 'nodes') : s.pointer, { service: s.name, cluster: c.name, node: nodes[0]! }));
    }
  }
  out.push(...quorumSpofs(t, c), ...fencingSpofs(t, c), ...vipSpofs(t, c), ...bundleStorage(c));
  return out;
}

/**
 * A single-replica bundle moves on failure like an active/passive service; a host directory it
 * writes to is the node's own, so the data does not move with it (read-only mappings and
 * per-replica roots of clone-like bundles are the application's own business).
 */
function bundleStorage(c: Cluster): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of keptAlive(c)) {
    const b = s.bundle;
    const nodes = possibleNodes(c, s);
    if (!b || b.replicas !== 1 || nodes.length < 2) continue;
    b.storage.forEach((m, i) => {
      const ro = (m.options ?? '').split(',').includes('ro');
      if (ro) return;
      out.push(diag('HA6090', `${b.pointer}/storage/${i}`, { service: s.name, cluster: c.name, nodes: nodes.join(', '), source: m.source ?? m.sourceRoot ?? '' }));
    });
  }
  return out;
}

/** Every single failure of a member or of a link network, checked for a partition that keeps quorum. */
function quorumSpofs(t: Topology, c: Cluster): Diagnostic[] {
  if (c.nodes.length < 2) return [];
  const out: Diagnostic[] = [];
  const none = new Set<string>();
  const single: { what: string; f: FailureSet; pointer: string; fix: string }[] = [
    ...c.nodes.map((n, i) => ({
      what: `node ${n}`,
      f: { nodes: new Set([n]), networks: none, attachments: none },
      pointer: pointerOf('clusters', c.name, 'nodes', i),
      fix: 'use an odd number of members (3 or more), or 2 members with two_node quorum',
    })),
    ...c.links.map((l, i) => ({
      what: `network ${l} (corosync link ${i})`,
      f: { nodes: none, networks: new Set([l]), attachments: none },
      pointer: pointerOf('clusters', c.name, 'links', i),
      fix: `add a second corosync link on another network, e.g. links: [${[...c.links, otherNetwork(t, c) ?? '…'].join(', ')}]`,
    })),
  ];
  const q = c.qdevice;
  if (q) {
    single.push({
      what: `qnetd host ${q.host}`,
      f: { nodes: new Set([q.host]), networks: none, attachments: none },
      pointer: `${q.pointer}/host`,
      fix: 'keep every member up while corosync-qnetd is down, or give the cluster an odd number of members',
    });
  }
  for (const s of single) {
    if (quoratePartitions(t, c, s.f).length) continue;
    out.push(diag('HA6003', s.pointer, { cluster: c.name, what: s.what, fix: s.fix }));
    // Watchdog-only SBD turns a loss of quorum into a reset of every member that is left.
    if (isDiskless(c)) out.push(diag('HA6081', s.pointer, { cluster: c.name, what: s.what }));
  }
  // One link whose loss keeps quorum somewhere (two_node): the cluster survives, but a fence race
  // picks the survivor, and a node with a dead NIC can win it.
  if (c.links.length === 1 && !out.some((d) => d.code === 'HA6003' && d.pointer.startsWith(pointerOf('clusters', c.name, 'links')))) {
    const network = c.links[0]!;
    out.push(diag('HA6004', pointerOf('clusters', c.name, 'links'), { cluster: c.name, network, other: otherNetwork(t, c) ?? '…' }));
  }
  return out;
}

/** A network every member has an address on that is not yet a link: the natural second link. */
function otherNetwork(t: Topology, c: Cluster): string | undefined {
  return Object.keys(t.networks).find((net) => !c.links.includes(net) && c.nodes.every((n) => t.nodes[n]?.addresses[net]));
}

function fencingSpofs(t: Topology, c: Cluster): Diagnostic[] {
  if (c.nodes.length < 2) return [];
  if (!c.fencing.enabled) {
    return [diag('HA6005', pointerOf('clusters', c.name, 'fencing', 'enabled'), { cluster: c.name, reason: c.fencing.reason?.trim() || 'no reason given' })];
  }
  const out: Diagnostic[] = [];
  // One SBD disk that is all some member is fenced by: when it fails, fence_sbd fences nobody
  // (sbd itself keeps the members up while they are quorate, so the failure goes unnoticed).
  const disks = c.sbd?.devices ?? [];
  const onlySbd = c.nodes.filter((n) => !t.nodes[n]?.fencing && !Object.values(c.fenceDevices).some((d) => d.ports[n] !== undefined));
  if (disks.length === 1 && onlySbd.length) out.push(diag('HA6080', `${c.sbd!.pointer}/devices`, { cluster: c.name, disk: disks[0]!, nodes: onlySbd.join(', ') }));
  for (const [i, n] of [...c.nodes, ...c.remoteNodes].entries()) {
    const node = t.nodes[n];
    if (!node) continue;
    const at = i < c.nodes.length ? pointerOf('clusters', c.name, 'nodes', i) : pointerOf('clusters', c.name, 'remote_nodes', i - c.nodes.length);
    if (!node.fencing) {
      if (!Object.values(c.fenceDevices).some((d) => d.ports[n] !== undefined) && !sbdFences(c, n)) out.push(diag('HA6006', at, { node: n, cluster: c.name }));
      continue;
    }
    // A BMC shares the node's power: after a power failure only a device outside the node (a
    // PDU outlet, a level of its own, or SBD, whose fencing needs nothing from the victim) can
    // confirm that the node is off.
    const shared = Object.values(c.fenceDevices).some((d) => d.ports[n] !== undefined && !fenceAgentEntry(d.agent).bmc) || sbdFences(c, n);
    if (fenceAgentEntry(node.fencing.agent).bmc && !shared) out.push(diag('HA6015', at, { node: n, cluster: c.name, agent: node.fencing.agent }));
    const address = node.fencing.address;
    if (!address || c.links.length !== 1) continue;
    const net = t.networks[c.links[0]!];
    if (net && contains(parseCidr(net.cidr), address)) {
      out.push(diag('HA6007', pointerOf('nodes', n, 'fencing', 'address'), { node: n, address, network: net.name, cluster: c.name }));
    }
  }
  return out;
}

function vipSpofs(t: Topology, c: Cluster): Diagnostic[] {
  if (c.nodes.length < 2) return []; // HA6002 already says everything stops with the one node
  const out: Diagnostic[] = [];
  for (const v of Object.values(c.vips)) {
    const users = keptAlive(c).filter((s) => s.vip === v.name);
    const candidates = users.length ? [...new Set(users.flatMap((s) => possibleNodes(c, s)))].sort() : c.nodes;
    // With an explicit nic, IPaddr2 does not need a node address on the network to bring the VIP up.
    const holders = v.nic ? candidates : candidates.filter((n) => t.nodes[n]?.addresses[v.network]);
    if (holders.length > 1) continue;
    const consequence = holders.length === 0 ? `${v.name} cannot start anywhere` : `when ${holders[0]} fails, ${v.name} and the services behind it stop`;
    // The VIP runs with its services: when they are pinned (nodes:) to fewer nodes than have an
    // address on its network, the pinning is the cause, not the addresses.
    const addressed = c.nodes.filter((n) => v.nic || t.nodes[n]?.addresses[v.network]);
    const pinned = users.filter((s) => s.pinned);
    const hint =
      pinned.length && addressed.length > holders.length
        ? `${pinned.map((s) => `service ${s.name} is pinned to ${possibleNodes(c, s).join(', ') || 'no node of the cluster'}`).join('; ')} (nodes:), and VIP ${v.name} runs where its services run: list at least two nodes under nodes:, or remove nodes: (${addressed.join(', ')} have an address on network ${v.network})`
        : undefined;
    out.push(
      diag('HA6008', v.pointer, {
        vip: v.name,
        network: v.network,
        count: holders.length,
        cluster: c.name,
        nodes: holders.length ? ` (${holders.join(', ')})` : '',
        consequence,
      }, hint),
    );
  }
  return out;
}

function cephSpofs(t: Topology): Diagnostic[] {
  const ceph = t.ceph;
  if (!ceph) return [];
  const out: Diagnostic[] = [];
  const domain = ceph.failureDomain;
  const domains = cephDomains(t, ceph);
  const copies = placedCopies(t, ceph);
  const spare = copies - ceph.minReplicas;
  const addHosts = `add storage hosts with OSDs until there are at least ${ceph.minReplicas + 1} ${domain}s for ${ceph.minReplicas + 1} copies, or keep replicas: ${Math.max(copies, ceph.minReplicas + 1)} with min_replicas: ${ceph.minReplicas} on enough ${domain}s`;
  if (domains.length > 0 && copies < ceph.minReplicas) {
    out.push(diag('HA6010', '/ceph/min_replicas', { copies, domain, min: ceph.minReplicas, fix: addHosts }));
  } else if (domains.length > 0 && spare < 1) {
    const fix =
      ceph.replicas > domains.length
        ? `replicas ${ceph.replicas} needs ${ceph.replicas} ${domain}s with OSDs but there are ${domains.length}: ${addHosts}`
        : `raise replicas to ${ceph.minReplicas + 1} (min_replicas ${ceph.minReplicas} + one spare copy)`;
    out.push(diag('HA6009', '/ceph/replicas', { copies, domain, left: copies - 1, min: ceph.minReplicas, fix }));
  }

  const monitors = ceph.monitors;
  const lone = monitors.find((m) => !monitorsServe(ceph, new Set([m])));
  if (monitors.length > 0 && lone) {
    out.push(
      diag('HA6011', pointerOf('nodes', lone, 'roles'), {
        count: monitors.length,
        monitors: monitors.join(', '),
        node: lone,
        left: monitors.length - 1,
      }),
    );
  } else if (monitors.length === 0 && ceph.osds.length > 0) {
    out.push(diag('HA6011', '/ceph', { count: 0, monitors: 'none', node: 'any host', left: 0 }));
  }

  if (domain === 'osd' && copies >= ceph.minReplicas) {
    // Counted per OSD, one host or one journal SSD can hold several copies of one object.
    for (const node of Object.values(t.nodes)) {
      if (node.osds.length > spare) {
        out.push(diag('HA6013', pointerOf('nodes', node.name, 'osds'), { node: node.name, count: node.osds.length, min: ceph.minReplicas }));
      }
      for (const g of journalGroups(node)) {
        if (g.osds.length <= spare) continue;
        const first = g.osds[0]!;
        out.push(
          diag('HA6012', `${first.pointer}/journal`, {
            osds: g.osds.map((o) => `osd.${o.id}`).join(', '),
            node: node.name,
            device: g.device,
            count: g.osds.length,
            min: ceph.minReplicas,
          }),
        );
      }
    }
  }
  return out;
}

/** Services whose dependencies survive fewer node failures than they do. */
function dependencySpofs(t: Topology): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of Object.values(t.clusters)) {
    for (const s of keptAlive(c)) {
      const own = serviceTolerance(c, s);
      if (own === 0) continue; // already a single point of failure on its own (HA6001/HA6002)
      for (const d of dependenciesOf(t, s)) {
        const dep = d.kind === 'ceph' ? cephTolerance(t, t.ceph!) : serviceTolerance(t.clusters[d.service!.cluster]!, d.service!);
        if (dep >= own) continue;
        out.push(diag('HA6014', s.pointer, { service: s.name, own, dependency: d.name, where: whereOf(t, d.service), dep, fix: fixFor(d.service) }));
      }
    }
  }
  return out;
}

function whereOf(t: Topology, s: Service | undefined): string {
  if (!s) return `Ceph, ${t.ceph!.failureDomain === 'host' ? 'hosts' : 'OSDs'} with replicas ${t.ceph!.replicas}, min_replicas ${t.ceph!.minReplicas}`;
  const c = t.clusters[s.cluster]!;
  return s.pinned ? `cluster ${c.name}, pinned to ${s.nodes.join(', ')}` : `cluster ${c.name}, ${c.nodes.length} node(s)`;
}

function fixFor(s: Service | undefined): string {
  if (!s) return 'make Ceph survive as many host failures as the service: more storage hosts, replicas - min_replicas >= 1, three monitors';
  return s.pinned
    ? `let ${s.name} run on more nodes (clusters.${s.cluster}.services.${s.name}.nodes)`
    : `run ${s.name} in a cluster with as many nodes as the services that need it`;
}
