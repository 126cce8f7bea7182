/**
 * The Galera arbitrator's file on its node: /etc/default/garb, which Debian's garb unit
 * (galera-arbitrator-4) sources before starting garbd. garbd runs outside Pacemaker, as the
 * package's systemd unit: its node is no Galera member and need not be a cluster node at all (the
 * qnetd host at a third place is the usual one), and it must keep voting while the cluster it
 * arbitrates for is split, which a resource of that cluster would not (ocf:heartbeat:garbd runs on
 * a member of the Pacemaker cluster, stopped with its partition when that loses quorum).
 */
import { HA_NEEDS } from '../../catalog/ha-needs.js';
import type { Node, Topology } from '../../model/types.js';
import { arbitrated, wsrepNetwork } from '../../model/rules/arbiter.js';
import { compareStrings } from '../../util/compare.js';
import { addressOf } from './current.js';
import { nodeFile, type PlannedFile } from './plan.js';

export interface GarbContext {
  service: string;
  /** The Galera cluster's name: its wsrep_cluster_name, the Pacemaker cluster's name (galera.cnf). */
  group: string;
  /** The members' wsrep addresses (their wsrep_node_address), in node name order, as galera.cnf's wsrep_cluster_address lists them. */
  members: string[];
  /** This node's address on the members' network. */
  listen: string;
  port: number;
}

export function garbFile(t: Topology, n: Node): PlannedFile<GarbContext> | undefined {
  const a = arbitrated(t).find((x) => x.node === n.name);
  const spec = a?.service.entry ? HA_NEEDS[a.service.entry.key]?.majority?.arbiter : undefined;
  if (!a || !spec) return undefined;
  const s = a.service;
  const members = [...s.nodes].sort(compareStrings);
  const net = wsrepNetwork(t.nodes[members[0]!]);
  return nodeFile({
    node: n.name,
    target: spec.file,
    template: 'garb',
    grammar: 'shell',
    context: { service: s.name, group: s.cluster, members: members.map((m) => addressOf(t, m)), listen: (net && n.addresses[net]) ?? '', port: spec.port },
    services: [spec.unit],
    onChange: { kind: 'restart', service: spec.unit },
  });
}
