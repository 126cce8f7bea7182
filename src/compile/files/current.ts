/**
 * HAProxy's configuration, from catalogue data alone: the service that carries the VIPs
 * (`carriesVips`) listens, at each VIP it carries, on every port an entry of its cluster lists in
 * `frontends`, with a backend on every node that runs that entry. A new API behind HAProxy is an
 * entry with `frontends`, never code here.
 */
import { hostPort } from '../../util/ip.js';
import type { Cluster, Node, Topology } from '../../model/types.js';
import { compareStrings } from '../../util/compare.js';

export interface Frontend {
  name: string;
  port: number;
  /** Address:port pairs HAProxy binds, one per VIP it carries. */
  binds: string[];
  httpCheck: string | null;
  backends: { name: string; address: string; backup: boolean }[];
}

/** The address HAProxy reaches a node's daemons at: its management address. */
export function addressOf(t: Topology, name: string): string {
  const n = t.nodes[name];
  return n?.addresses['management'] ?? Object.values(n?.addresses ?? {})[0] ?? '';
}

function frontends(t: Topology, c: Cluster): Frontend[] {
  const haproxy = Object.values(c.services).find((s) => s.entry?.carriesVips);
  if (!haproxy) return [];
  // The VIPs no other service names are HAProxy's (colocated with it in the CIB).
  const named = new Set(Object.values(c.services).filter((s) => s !== haproxy).map((s) => s.vip));
  const vips = Object.values(c.vips).filter((v) => !named.has(v.name));
  const own = haproxy.vip ? c.vips[haproxy.vip]?.address : undefined;
  const out: Frontend[] = [];
  for (const s of Object.values(c.services)) {
    for (const f of s.entry?.frontends ?? []) {
      const nodes = [...s.nodes].sort(compareStrings);
      out.push({
        name: f.name,
        port: f.port,
        binds: (f.internal ? (own ? [own] : []) : vips.map((v) => v.address)).map((a) => hostPort(a, f.port)),
        httpCheck: f.check === 'tcp' ? null : f.check.http,
        backends: nodes.map((name, i) => ({ name, address: addressOf(t, name), backup: !!f.oneActive && i > 0 })),
      });
    }
  }
  return out.sort((a, b) => a.port - b.port);
}

/** HAProxy's frontends for a node that runs the service carrying the VIPs; null elsewhere. */
export function haproxyFor(t: Topology, n: Node): { frontends: Frontend[] } | null {
  const c = n.cluster ? t.clusters[n.cluster] : undefined;
  const haproxy = c ? Object.values(c.services).find((s) => s.entry?.carriesVips && s.nodes.includes(n.name)) : undefined;
  return c && haproxy ? { frontends: frontends(t, c) } : null;
}
