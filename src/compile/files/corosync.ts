/** /etc/corosync/corosync.conf: one rendering per cluster, shared by its members. */
import type { Cluster, Node, Topology } from '../../model/types.js';
import { familyOf } from '../../util/ip.js';
import { nodeIdOf } from '../pacemaker/ids.js';
import { nodeFile, type Once, type PlannedFile } from './plan.js';

export interface CorosyncContext {
  cluster: string;
  cipher: 'aes256' | 'none';
  hash: 'sha256' | 'none';
  links: { number: number }[];
  multiLink: boolean;
  nodes: { name: string; id: number; addrs: { number: number; address: string }[] }[];
  twoNode: boolean;
  /** totem.ip_version when a link is IPv6: ipv6 when every link is, ipv4-6 for a mix (absent: IPv4 only). */
  ipVersion?: 'ipv6' | 'ipv4-6';
  /** quorum.device (model net): the members' corosync-qdevice asks corosync-qnetd there. */
  device?: { host: string; port: number; algorithm: string; tieBreaker: string; tls: string; votes?: number };
}

export function corosyncFile(t: Topology, c: Cluster, n: Node, once: Once): PlannedFile<CorosyncContext> {
  const shareKey = `corosync:${c.name}`;
  return nodeFile({
    node: n.name,
    target: '/etc/corosync/corosync.conf',
    template: 'corosync.conf',
    grammar: 'corosync',
    context: once(shareKey, () => corosyncContext(t, c)),
    services: c.qdevice ? ['corosync', 'corosync-qdevice'] : ['corosync'],
    // corosync-cfgtool -R applies timer, logging, quorum and whole-node changes; apply compares
    // the files and escalates to a rolling restart (values read at start) or a full restart of
    // every member (crypto, transport, cluster name) as src/apply/corosync.ts classifies it.
    onChange: { kind: 'corosync-reload' },
    shareKey,
  });
}

function corosyncContext(t: Topology, c: Cluster): CorosyncContext {
  const nodes = c.nodes.map((name) => ({
    name,
    // One rule for corosync nodeids and the CIB's node ids (pacemaker/ids.ts).
    id: nodeIdOf(t.nodes[name] ?? { name }),
    addrs: c.links.map((net, number) => ({ number, address: t.nodes[name]?.addresses[net] ?? '' })),
  }));
  const crypto = !!c.authkey;
  const q = c.qdevice;
  const ctx: CorosyncContext = {
    cluster: c.name,
    // Without an authkey the cluster runs unencrypted (the test cluster); the schema's authkey
    // turns crypto on, and the key itself is installed by apply from the secret.
    cipher: crypto ? 'aes256' : 'none',
    hash: crypto ? 'sha256' : 'none',
    links: c.links.map((_net, number) => ({ number })),
    multiLink: c.links.length > 1,
    nodes,
    // two_node and a quorum device exclude each other (votequorum refuses both): with a device,
    // the survivor of a two-node split keeps quorum only with the arbiter's vote.
    twoNode: c.nodes.length === 2 && !q,
  };
  // Each knet link has one family (its network's); ip_version says which family corosync resolves
  // names in, and with IPv6 links it must not be ipv4 alone.
  const families = new Set(c.links.map((net) => (t.networks[net] ? familyOf(t.networks[net]!.cidr.split('/')[0]!) : 4)));
  if (families.has(6)) ctx.ipVersion = families.has(4) ? 'ipv4-6' : 'ipv6';
  if (q) {
    const tie = q.tieBreaker === 'lowest' || q.tieBreaker === 'highest' ? q.tieBreaker : String(nodes.find((n) => n.name === q.tieBreaker)?.id ?? q.tieBreaker);
    ctx.device = {
      host: t.nodes[q.host]?.addresses[q.network] ?? '',
      port: q.port,
      algorithm: q.algorithm,
      tieBreaker: tie,
      tls: q.tls,
      // ffsplit needs exactly one device vote; lms computes its own (members - 1) when unset.
      ...(q.algorithm === 'ffsplit' ? { votes: 1 } : {}),
    };
  }
  return ctx;
}
