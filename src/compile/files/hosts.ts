/** The /etc/hosts block of cluster peers: one rendering per cluster. */
import type { Cluster, Node, Topology } from '../../model/types.js';
import { nodeFile, type Once, type PlannedFile } from './plan.js';

export interface HostsContext {
  hosts: { name: string; address: string }[];
}

/** /etc/hosts block: every peer of the node's cluster (members and remote nodes) on link 0. */
export function hostsFile(t: Topology, c: Cluster, n: Node, once: Once): PlannedFile<HostsContext> {
  const shareKey = `hosts:${c.name}`;
  const net = c.links[0] ?? 'management';
  const hosts = () =>
    [...c.nodes, ...c.remoteNodes].map((name) => ({ name, address: t.nodes[name]?.addresses[net] ?? '' })).filter((h) => h.address);
  return nodeFile({
    node: n.name,
    target: '/etc/hosts',
    template: 'hosts',
    grammar: 'hosts',
    context: once(shareKey, () => ({ hosts: hosts() })),
    install: 'block',
    shareKey,
  });
}
