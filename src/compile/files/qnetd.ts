/**
 * /etc/default/corosync-qnetd on a qnetd host: the options its unit starts corosync-qnetd with.
 * One daemon serves every cluster whose qdevice names the host, on one port and TLS setting (the
 * qdevice rule refuses clusters that disagree).
 */
import type { Node, Topology } from '../../model/types.js';
import { compareStrings } from '../../util/compare.js';
import { nodeFile, type PlannedFile } from './plan.js';

export interface QnetdContext {
  port: number;
  tls: string;
  clusters: string[];
}

/** The clusters whose quorum device is corosync-qnetd on `host`, by name. */
export function qdeviceClustersOf(t: Topology, host: string): string[] {
  return Object.values(t.clusters)
    .filter((c) => c.qdevice?.host === host)
    .map((c) => c.name)
    .sort(compareStrings);
}

export function qnetdFile(t: Topology, n: Node): PlannedFile<QnetdContext> | undefined {
  const clusters = qdeviceClustersOf(t, n.name);
  const first = clusters.length ? t.clusters[clusters[0]!]?.qdevice : undefined;
  if (!first) return undefined;
  return nodeFile({
    node: n.name,
    target: '/etc/default/corosync-qnetd',
    template: 'corosync-qnetd',
    grammar: 'shell',
    context: { port: first.port, tls: first.tls, clusters },
    services: ['corosync-qnetd'],
    onChange: { kind: 'restart', service: 'corosync-qnetd' },
  });
}
