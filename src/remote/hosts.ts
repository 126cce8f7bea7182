import type { Topology } from '../model/types.js';
import type { SshHost } from './ssh.js';

/**
 * The one SSH host lookup: how to reach each node of a topology (the address on the node's SSH
 * network, and user and port where the topology sets them), for `nodes` or every node. A node without an address there is left to
 * the ssh config.
 */
export function sshHostsOf(topology: Topology, nodes: readonly string[] = Object.keys(topology.nodes)): Record<string, SshHost> {
  const hosts: Record<string, SshHost> = {};
  for (const name of nodes) {
    const n = topology.nodes[name];
    if (!n) continue;
    // User and port only where the topology sets them: otherwise ssh_config's User and Port apply.
    const h: SshHost = {};
    if (n.ssh.user !== undefined) h.user = n.ssh.user;
    if (n.ssh.port !== undefined) h.port = n.ssh.port;
    const address = n.addresses[n.ssh.network];
    if (address) h.address = address;
    hosts[name] = h;
  }
  return hosts;
}
