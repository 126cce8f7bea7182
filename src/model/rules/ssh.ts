import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** hactl can reach every node: each has an address on the network its SSH settings name. */
export const ssh: Rule = {
  name: 'ssh',
  codes: ['HA3041'],
  check(t, input) {
    const out: Diagnostic[] = [];
    for (const n of Object.values(t.nodes)) {
      const network = n.ssh.network;
      const written = input.nodes[n.name]?.ssh?.network ?? input.ssh?.network ?? input.defaults?.ssh?.network;
      if (written !== undefined && !t.networks[network]) continue; // references reports it
      if (n.addresses[network]) continue;
      const on = Object.keys(n.addresses).filter((a) => t.networks[a]);
      const suggestion = !on.length
        ? `give node ${n.name} an address on ${network}`
        : written === undefined
          ? t.networks[network]
            ? `SSH uses the ${network} network unless told otherwise: set ssh: { network: ${on[0]} } (top level or on the node)`
            : (n.cluster ?? n.remoteOf) !== undefined
              ? `there is no network named ${network}; SSH then uses the first corosync link of cluster ${n.cluster ?? n.remoteOf}, which names none: set links: [${on[0]}] on the cluster (SSH follows it), or ssh: { network: ${on[0]} }`
              : `there is no network named ${network}, SSH's default for a node in no cluster (a cluster's nodes use its first corosync link): set ssh: { network: ${on[0]} } (top level or on the node)`
          : `set ssh: { network: … } on node ${n.name} to one of its networks: ${on.join(', ')}`;
      out.push(diag('HA3041', pointerOf('nodes', n.name, 'addresses'), { node: n.name, network, suggestion }));
    }
    return out;
  },
};
