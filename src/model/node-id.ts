/** Corosync (and Pacemaker) node ids: a property of the node, shared by the rules and the compiler. */
import type { Node } from './types.js';

/** knet addresses hosts with 16 bits: corosync 3 refuses a nodeid above this. */
export const MAX_NODE_ID = 65535;

/**
 * The Pacemaker node id, equal to the corosync nodeid. It depends on the node alone, never on its
 * place in the cluster's list: a member removed or reordered renumbers nobody, and a running
 * cluster never sees a member change identity (review M9). The topology's explicit `nodeid`
 * wins; otherwise the number a name's host label ends with (ctl2 and ctl2.example.com -> 2, as
 * operators number their hosts), otherwise a hash of the name. Two members of one cluster with the same id are refused by the
 * node-ids rule (HA3090), which names the explicit `nodeid` as the way out. The corosync emitter
 * uses this same function, so the CIB's <node id> and corosync.conf's nodelist always agree.
 */
export function nodeIdOf(node: Pick<Node, 'name' | 'nodeid'>): number {
  if (node.nodeid !== undefined) return node.nodeid;
  // An FQDN's number is its host label's (ctl2.example.com -> 2).
  const digits = /(\d+)$/.exec(node.name.split('.')[0]!)?.[1];
  if (digits !== undefined && digits.length <= 5) {
    const n = Number(digits);
    if (n >= 1 && n <= MAX_NODE_ID) return n;
  }
  // FNV-1a over the name's UTF-8 bytes: fixed, documented, and the same on every platform.
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(node.name)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return (h % MAX_NODE_ID) + 1;
}
