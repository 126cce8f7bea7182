/**
 * The OpenStack files of a node (OPENSTACK_FILES decides which) and the one context their
 * templates share: endpoints, secrets by purpose, Ceph clients, release flags.
 */
import { pick, SERVICES, type Family } from '../../catalog/index.js';
import { processesOf } from '../../model/resolve.js';
import type { Node, Topology } from '../../model/types.js';
import { uuidV5 } from '../../util/uuid.js';
import { sinceFlags } from '../../vocabulary.js';
import type { ChangeAction } from '../artifact.js';
import { CEPH_CONF } from './ceph.js';
import { endpoint, mountOf, ownVip, poolOfClient, secretName, type Placement, type SecretPurpose } from './facts.js';
import type { Gap } from './gaps.js';
import { networkingName, OPENSTACK_FILES, type OpenStackFile } from './openstack.js';
import { all, nodeFile, type PlannedFile } from './plan.js';
import { HORIZON_KEY_FILE } from './secret-files.js';

/** Every catalogue endpoint by its template name (`ep.<name>.host`), null where the file has none. */
type Endpoints = Record<string, { host: string } | null>;

export interface OpenStackContext {
  since: ReturnType<typeof sinceFlags>;
  net: { name: string; Name: 'Quantum' | 'Neutron' };
  node: { name: string; address: string };
  region: string;
  ep: Endpoints;
  secrets: Record<SecretPurpose, string>;
  ceph: {
    conf: string;
    cinder: { pool: string; user: string; secretUuid: string } | null;
    glance: { pool: string; user: string } | null;
  };
  cinderHost: string | null;
  l3Host: string | null;
  dhcpAgentsPerNetwork: number | null;
  instancesPath: string;
  bind: { rabbitmq: string | null; mysql: string | null };
  controller: boolean;
  server: boolean;
  secretKeyFile: string;
  mysqlDatadir: string | null;
}

/** The libvirt secret uuid that nova and cinder name for a cephx client: derived from the fsid. */
function libvirtSecretUuid(fsid: string, client: string): string {
  return uuidV5(fsid, `libvirt-secret:client.${client}`);
}

/**
 * Shared value of the L3 agent's host= on every L3 node of a cluster: the server schedules
 * routers to an agent by host and never moves them off a dead one, so the node taking over must
 * be that same agent (2013 HA Guide, research §5.9; review C2).
 */
function l3Host(cluster: string): string {
  return `l3-agent-${cluster}`;
}

/**
 * dhcp_agents_per_network for the servers: every node running an active/active DHCP agent serves
 * every network (default 1: one agent per network, and Grizzly/Havana never reschedule a network
 * off a dead agent; research §5.10, review C3). Null when there is nothing to raise.
 */
function dhcpAgentsPerNetwork(t: Topology): number | null {
  const dhcp = Object.values(t.clusters)
    .flatMap((c) => Object.values(c.services))
    .find((s) => s.entry?.key === 'quantum-dhcp-agent');
  return dhcp && dhcp.mode === 'active-active' && dhcp.nodes.length > 1 ? dhcp.nodes.length : null;
}

/** Shared value of cinder's host= on every cinder-volume node of a cluster (volumes survive failover). */
function cinderHost(cluster: string): string {
  return `cinder-${cluster}`;
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

export function openstackFiles(t: Topology, family: Family, n: Node, mine: Placement[], gaps: (spec: OpenStackFile) => Gap[]): PlannedFile[] {
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
    files.push(
      nodeFile<OpenStackContext>({
        node: n.name,
        target: pick(spec.target, family),
        template: pick(spec.template, family),
        grammar: spec.grammar,
        context: openstackContext(t, family, n, mine, spec),
        services: [...new Set(services)].sort(),
        onChange: all(actions),
        secrets: pick(spec.secrets, family).map((p) => secretName(t, p)),
        secretGroup: pick(spec.group, family),
      }),
    );
  }
  return files;
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

function openstackContext(t: Topology, family: Family, n: Node, mine: Placement[], spec: OpenStackFile): OpenStackContext {
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
  const l3 = mine.find((p) => p.key === 'quantum-l3-agent');
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
    // Not from Icehouse on: ML2 binds router ports to the L3 agent's host and needs an Open
    // vSwitch agent of that host, which the node's own OVS agent (shared with the DHCP agent) is
    // not; check reports the routers left on a dead agent (HA6051) with that remedy.
    l3Host: l3 && !sinceFlags(family).icehouse ? l3Host(l3.cluster.name) : null,
    dhcpAgentsPerNetwork: mine.some((p) => p.key === 'quantum-server') ? dhcpAgentsPerNetwork(t) : null,
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
