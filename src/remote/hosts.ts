import type { Topology } from '../model/types.js';
import type { SshHost } from './ssh.js';

/**
 * The one SSH host lookup: how to reach each node of a topology (the address on the node's SSH
 * network, user and port), for `nodes` or every node. A node without an address there is left to
 * the ssh config.
 */
export function sshHostsOf(topology: Topology, nodes: readonly string[] = Object.keys(topology.nodes)): Record<string, SshHost> {
  const hosts: Record<string, SshHost> = {};
  for (const name of nodes) {
    const n = topology.nodes[name];
    if (!n) continue;
    const h: SshHost = { user: n.ssh.user, port: n.ssh.port };
    const address = n.addresses[n.ssh.network];
    if (address) h.address = address;
    hosts[name] = h;
  }
  return hosts;
}
