/** /etc/ceph/ceph.conf: global settings for every Ceph node, daemon sections where they run. */
import type { Family } from '../../catalog/index.js';
import { processesOf } from '../../model/resolve.js';
import type { Node, Topology } from '../../model/types.js';
import { cephPublicNetwork, type Placement } from './facts.js';
import { nodeFile, type PlannedFile } from './plan.js';
import { familyOf, urlHost } from '../../util/ip.js';

export const CEPH_CONF = '/etc/ceph/ceph.conf';
export const keyring = (client: string) => `/etc/ceph/ceph.client.${client}.keyring`;

/** Options per OSD filesystem (mkfs and mount), as the Ceph docs of the time advised. */
const OSD_FS: Record<string, { mkfs: string; mount: string; omap: boolean }> = {
  xfs: { mkfs: '-f -i size=2048', mount: 'rw,noatime,inode64', omap: false },
  // ext4's xattrs are too small for Ceph's metadata: keep them in the omap.
  ext4: { mkfs: '', mount: 'rw,noatime,user_xattr', omap: true },
  btrfs: { mkfs: '', mount: 'rw,noatime', omap: false },
};

export interface CephContext {
  fsid: string;
  monMembers: string;
  monHost: string;
  mons: { name: string; address: string }[];
  publicNetwork: string | null;
  clusterNetwork: string | null;
  /** The daemons bind IPv6 (and not IPv4) when the monitors' network is IPv6: Ceph binds one family. */
  ipv6: boolean;
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

export interface CephFileContext extends CephContext {
  rgw: { name: string; host: string; keyring: string; socket: string; log: string } | null;
}

export function cephContext(t: Topology): CephContext {
  const c = t.ceph!;
  const pub = cephPublicNetwork(t);
  const mons = c.monitors.map((name) => ({ name, address: t.nodes[name]?.addresses[pub] ?? '' }));
  const fs = OSD_FS[c.filesystem]!;
  const clients = [...new Set(Object.values(c.pools).map((p) => p.client).filter((x): x is string => !!x))].sort();
  return {
    fsid: c.fsid,
    monMembers: mons.map((m) => m.name).join(', '),
    monHost: mons.map((m) => urlHost(m.address)).join(','),
    mons,
    publicNetwork: c.publicNetwork ? (t.networks[c.publicNetwork]?.cidr ?? null) : null,
    clusterNetwork: c.clusterNetwork ? (t.networks[c.clusterNetwork]?.cidr ?? null) : null,
    ipv6: mons.some((m) => familyOf(m.address) === 6),
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

export function cephFile(ceph: CephContext, n: Node, mine: Placement[], family: Family): PlannedFile<CephFileContext> {
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
  return nodeFile({
    node: n.name,
    target: CEPH_CONF,
    // The current family's BlueStore cluster needs no filestore, journal or per-daemon sections.
    template: family === 'current' ? 'ceph.conf.current' : 'ceph.conf',
    grammar: 'ceph',
    context: { ...ceph, mons: daemons ? ceph.mons : [], osds, rgw },
    services: cephServices(n, mine, family),
    // Ceph daemons read ceph.conf when they start; hactl never restarts monitors or OSDs on its
    // own (a rolling restart is an operator's decision, one daemon at a time, with the cluster healthy).
    onChange: { kind: 'none' },
    ...(rgw || osds.length ? {} : { shareKey: daemons ? 'ceph:monitors' : 'ceph:clients' }),
  });
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
