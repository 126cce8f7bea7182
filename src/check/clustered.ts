/**
 * The rules of services that are clustered rather than failed over (the current profile): a
 * quorum of their own (`majority`), HAProxy forwarding to the nodes that run each API (`proxies`,
 * the entries' `frontends`), the VIPs HAProxy carries kept with it (`carriesVips`), and a VIP on
 * the promoted instance (`vipOnPromoted`), and instance HA's fencing levels (src/catalog/instance-ha.ts). Each reads the catalogue's data and checks it against
 * the compiled output (the CIB model and the node files), where a planted defect would be.
 */
import { FAILURE_DOMAINS, HA_NEEDS } from '../catalog/ha-needs.js';
import { OPENSTACK_FILES } from '../compile/files/openstack.js';
import { addressOf } from '../compile/files/current.js';
import { nodeFilePath } from '../compile/files/index.js';
import { stonithId, vipId } from '../compile/pacemaker/ids.js';
import { primitivesOf, type ClusterConfig, type Resource } from '../compile/pacemaker/model.js';
import { diag, pointerOf, type Diagnostic } from '../diagnostics.js';
import type { Cluster, Service, Topology } from '../model/types.js';
import { compareStrings } from '../util/compare.js';
import { INSTANCE_HA } from '../catalog/instance-ha.js';
import { instanceHaComputes } from '../model/rules/instance-ha.js';
import { arbiterOf, keptAlive, majorityKept, majorityTolerance, quorumTolerance } from './model.js';
import type { BrokenService, CompiledOutput } from './services.js';

export function clusteredFindings(t: Topology, c: Cluster, config: ClusterConfig | undefined, out: CompiledOutput): { findings: Diagnostic[]; broken: BrokenService[] } {
  const findings: Diagnostic[] = [];
  const broken: BrokenService[] = [];
  for (const s of keptAlive(c)) {
    const needs = s.entry ? HA_NEEDS[s.entry.key] : undefined;
    if (!needs) continue;
    const nodes = [...s.nodes].sort(compareStrings);
    if (needs.majority && nodes.length > 1) {
      // An arbiter is one more vote: two members and garbd survive one failure, as three members do.
      const arbiter = arbiterOf(s);
      const votes = nodes.length + (arbiter ? 1 : 0);
      const own = majorityTolerance(votes);
      const cluster = quorumTolerance(c);
      const voters = `${nodes.length} members (${nodes.join(', ')})${arbiter ? ` and its arbiter on ${arbiter}` : ''}`;
      // With 2 * cluster members or more, the odd count needs one arbiter more, not another member.
      const arbitrable = !!needs.majority.arbiter && !arbiter && nodes.length % 2 === 0;
      const alternative = arbitrable ? `, or keep ${nodes.length} and name an arbiter (arbiter: NODE, ${needs.majority.arbiter!.name} on a node that does not run ${s.name})` : '';
      const args = { service: s.name, voters, nodes: nodes.join(', '), what: needs.majority.what, own, cluster: c.name, tolerance: cluster, need: 2 * cluster + 1, alternative };
      if (own < cluster) findings.push(diag('HA6120', s.pointer, args));
      // An arbiter that makes the votes even is HA3229 (validation).
      else if (votes % 2 === 0 && !arbiter) findings.push(diag('HA6121', s.pointer, { ...args, half: nodes.length / 2 }));
      if (arbiter) findings.push(...arbiterFindings(t, s, nodes, arbiter, out));
    }
    if (needs.proxies) findings.push(...proxyFindings(t, c, s, needs.proxies.file, out));
    if (!config) continue;
    if (s.entry?.carriesVips) {
      // The VIPs no other service names are the ones HAProxy listens on (compile's rule too).
      const named = new Set(Object.values(c.services).filter((x) => x !== s).map((x) => x.vip));
      const top = topOf(config, s);
      for (const v of Object.values(c.vips)) {
        if (named.has(v.name) || !top) continue;
        const ip = holderOf(config, vipId(v.name));
        if (ip && !colocated(config, ip, top)) {
          findings.push(diag('HA6124', v.pointer, { vip: v.name, service: s.name, resource: ip, with: top }));
          broken.push({ cluster: c.name, service: s.name, why: `VIP ${v.name} may stay on a node where ${s.name} does not run` });
        }
      }
    }
    if (needs.vipOnPromoted && s.vip && s.mode === 'promotable') {
      const top = topOf(config, s);
      const ip = holderOf(config, vipId(s.vip));
      if (top && ip && !(colocated(config, ip, top, 'Promoted') && config.constraints.some((k) => k.kind === 'order' && k.first === top && k.then === ip && k.firstAction === 'promote'))) {
        findings.push(diag('HA6125', s.pointer, { vip: s.vip, service: s.name, resource: ip, with: top }));
        broken.push({ cluster: c.name, service: s.name, why: `VIP ${s.vip} may stay on an unpromoted instance after a failover` });
      }
    }
  }
  findings.push(...instanceHaFindings(t, c, config));
  return { findings, broken };
}

/**
 * Instance HA: every fencing level of each covered compute node powers it off with a device of
 * its own and then runs fence_compute, so that whichever level succeeds, nova hears of it, and
 * only once the node is off.
 */
function instanceHaFindings(t: Topology, c: Cluster, config: ClusterConfig | undefined): Diagnostic[] {
  const computes = instanceHaComputes(t, c);
  if (!config || !computes.length) return [];
  const device = stonithId(INSTANCE_HA.device.name);
  const out: Diagnostic[] = [];
  for (const n of computes) {
    const at = pointerOf('clusters', c.name, 'remote_nodes', c.remoteNodes.indexOf(n));
    const levels = config.fencingLevels.filter((l) => l.target === n).sort((a, b) => a.index - b.index);
    const without = levels.filter((l) => !l.devices.includes(device));
    if (!levels.length || without.length) {
      const where = levels.length ? `fencing level ${without.map((l) => `${l.index} (${l.devices.join(', ')})`).join(', ')} succeeds` : 'it has no fencing level: its own device fences it';
      out.push(diag('HA6126', at, { node: n, where, device }));
    }
    for (const l of levels) {
      if (l.devices.includes(device) && l.devices.indexOf(device) === 0) out.push(diag('HA6127', at, { node: n, level: l.index, device }));
    }
  }
  return out;
}

/**
 * A quorum arbiter (Galera's garbd): not in a failure domain with members whose loss together
 * with it leaves no majority (node attributes FAILURE_DOMAINS name the domains), and compiled so
 * that it joins the members' group: its file names their addresses and cluster name as their
 * galera.cnf does, and its unit starts at boot.
 */
function arbiterFindings(t: Topology, s: Service, members: string[], arbiter: string, out: CompiledOutput): Diagnostic[] {
  const spec = HA_NEEDS[s.entry!.key]!.majority!.arbiter!;
  const at = `${s.pointer}/arbiter`;
  const findings: Diagnostic[] = [];
  const own = t.nodes[arbiter]?.attributes ?? {};
  for (const key of FAILURE_DOMAINS) {
    const value = own[key];
    if (value === undefined) continue;
    const shared = members.filter((m) => t.nodes[m]?.attributes?.[key] === value);
    // A domain holding every member takes the database with it, arbiter or not.
    if (!shared.length || shared.length === members.length || majorityKept(members.length, true, members.length - shared.length, false)) continue;
    findings.push(diag('HA6151', at, { node: arbiter, service: s.name, key, value, members: shared.join(', '), left: members.length - shared.length, votes: members.length + 1, name: spec.name }));
  }
  const garb = out.files.get(nodeFilePath(arbiter, spec.file));
  const cnf = OPENSTACK_FILES.find((f) => f.readers.some((r) => r.key === s.entry!.key) && f.grammar === 'mycnf');
  const wrong: string[] = [];
  if (garb === undefined) wrong.push('is not compiled');
  else if (cnf) {
    const vars = shellAssignments(garb);
    const target = typeof cnf.target === 'string' ? cnf.target : undefined;
    for (const m of members) {
      const text = target ? out.files.get(nodeFilePath(m, target)) : undefined;
      if (text === undefined) continue;
      const opts = cnfOptions(text);
      const address = opts.get('wsrep_cluster_address')?.replace(/^gcomm:\/\//, '');
      if (address !== undefined && vars.get('GALERA_NODES') !== address) wrong.push(`names GALERA_NODES="${vars.get('GALERA_NODES') ?? ''}" where ${m}'s wsrep_cluster_address lists ${address}`);
      const name = opts.get('wsrep_cluster_name');
      if (name !== undefined && vars.get('GALERA_GROUP') !== name) wrong.push(`names GALERA_GROUP="${vars.get('GALERA_GROUP') ?? ''}" where ${m}'s wsrep_cluster_name is ${name}`);
    }
  }
  if (!out.units.some((u) => u.node === arbiter && u.unit === spec.unit && u.state === 'enabled')) wrong.push(`is not started at boot (unit ${spec.unit} not enabled)`);
  if (wrong.length) findings.push(diag('HA6152', at, { node: arbiter, service: s.name, file: spec.file, what: [...new Set(wrong)].join('; '), name: spec.name }));
  return findings;
}

/** NAME=value and NAME="value" lines of a file sh sources (hactl's own: no expansions in them). */
function shellAssignments(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|([^\s#]*))\s*$/.exec(line);
    if (m) out.set(m[1]!, m[2] ?? m[3] ?? '');
  }
  return out;
}

/** `option = value` lines of a my.cnf drop-in (hactl's own: one section, no includes). */
function cnfOptions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** The top-level resource of a service (its clone, group or primitive). */
function topOf(config: ClusterConfig, s: Service): string | undefined {
  return config.resources.find((r) => primitivesOf(r).some((p) => p.source === s.pointer || p.source.startsWith(`${s.pointer}/`)))?.id;
}

/** The top-level resource holding a primitive (the VIP itself, or the group it lives in). */
function holderOf(config: ClusterConfig, primitive: string): string | undefined {
  return config.resources.find((r: Resource) => primitivesOf(r).some((p) => p.id === primitive))?.id;
}

function colocated(config: ClusterConfig, rsc: string, withRsc: string, role?: 'Promoted'): boolean {
  return config.constraints.some((k) => k.kind === 'colocation' && k.rsc === rsc && k.withRsc === withRsc && k.score === 'INFINITY' && k.withRscRole === role);
}

/** `listen` name -> its `server` lines (name, address, backup), from an haproxy.cfg. */
export function listenSections(text: string): Map<string, { address: string; backup: boolean }[]> {
  const out = new Map<string, { address: string; backup: boolean }[]>();
  let current: { address: string; backup: boolean }[] | undefined;
  for (const raw of text.split('\n')) {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
    if (!words.length) continue;
    // A section starts at a keyword in column 0 (global, defaults, listen, frontend, backend, …).
    if (!/^\s/.test(raw)) {
      current = words[0] === 'listen' && words[1] ? [] : undefined;
      if (current) out.set(words[1]!, current);
    } else if (current && words[0] === 'server' && words[2]) {
      // host:port, with an IPv6 host in brackets ([2001:db8::11]:5000).
      const address = words[2].replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
      current.push({ address, backup: words.includes('backup') });
    }
  }
  return out;
}

/**
 * On every node of the proxy, each frontend of the cluster's entries forwards to exactly the
 * nodes that run the entry (by management address), and a one-active frontend has one server
 * that is no backup. One finding per frontend and kind, naming the nodes whose file is wrong.
 */
function proxyFindings(t: Topology, c: Cluster, proxy: Service, file: string, out: CompiledOutput): Diagnostic[] {
  const byAddress = new Map(Object.keys(t.nodes).map((n) => [addressOf(t, n), n]));
  const wrong = new Map<string, { d: (nodes: string) => Diagnostic; nodes: string[] }>();
  const note = (key: string, d: (nodes: string) => Diagnostic, node: string) => {
    const e = wrong.get(key) ?? { d, nodes: [] };
    e.nodes.push(node);
    wrong.set(key, e);
  };
  for (const node of [...proxy.nodes].sort(compareStrings)) {
    const text = out.files.get(nodeFilePath(node, file));
    if (text === undefined) continue;
    const sections = listenSections(text);
    for (const s of Object.values(c.services)) {
      for (const f of s.entry?.frontends ?? []) {
        const expected = [...s.nodes].sort(compareStrings);
        const servers = sections.get(f.name) ?? [];
        const have = servers.map((x) => byAddress.get(x.address) ?? x.address).sort(compareStrings);
        if (have.join(' ') !== expected.join(' ')) {
          const extra = have.filter((n) => !expected.includes(n));
          const missing = expected.filter((n) => !have.includes(n));
          const what = [...(extra.length ? [`sends to ${extra.join(', ')}, which do(es) not run it`] : []), ...(missing.length ? [`leaves out ${missing.join(', ')}`] : [])].join(' and ');
          note(`a\u0000${f.name}\u0000${what}`, (nodes) => diag('HA6122', proxy.pointer, { file, nodes, frontend: f.name, service: s.name, what, expected: expected.join(', ') }), node);
        }
        const active = servers.filter((x) => !x.backup).length;
        if (f.oneActive && servers.length && active !== 1) {
          note(`b\u0000${f.name}\u0000${active}`, (nodes) => diag('HA6123', proxy.pointer, { file, nodes, frontend: f.name, service: s.name, active }), node);
        }
      }
    }
  }
  return [...wrong.values()].map((e) => e.d(e.nodes.join(', ')));
}
