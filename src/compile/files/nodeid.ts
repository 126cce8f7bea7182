import type { Cluster } from '../../model/types.js';

/**
 * The corosync nodeid of a member: its 1-based position in the cluster's `nodes` list as written.
 * Stable as long as the list is only appended to; the CIB's node ids use the same rule.
 */
export function corosyncNodeId(cluster: Cluster, node: string): number {
  const i = cluster.nodes.indexOf(node);
  if (i < 0) throw new Error(`${node} is not a member of cluster ${cluster.name}`);
  return i + 1;
}
