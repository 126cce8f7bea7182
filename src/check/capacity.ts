/**
 * Capacities against utilization (placement-strategy): whether the services still fit with every
 * node up and after each single node failure. The arithmetic is the necessary condition (what
 * the services need in total against what the nodes give, and each active/passive service
 * against the node with the most left after the clones' share), stated with its numbers; the
 * rehearsal's crm_simulate runs place them for real.
 */
import { diag, type Diagnostic } from '../diagnostics.js';
import type { Cluster, Topology } from '../model/types.js';

export function capacityFindings(t: Topology, c: Cluster): Diagnostic[] {
  const services = Object.values(c.services).filter((s) => s.utilization);
  if (!services.length) return [];
  const names = [...new Set(services.flatMap((s) => Object.keys(s.utilization!)))].sort();
  const out: Diagnostic[] = [];
  const scenarios: (string | undefined)[] = [undefined, ...[...c.nodes].sort()];
  for (const failed of scenarios) {
    const up = c.nodes.filter((n) => n !== failed);
    const short: string[] = [];
    for (const k of names) {
      const capacity = (n: string) => t.nodes[n]?.utilization?.[k] ?? 0;
      // Each clone instance takes its share on its own node.
      const share = new Map(up.map((n) => [n, 0]));
      let need = 0;
      const single: { name: string; u: number }[] = [];
      for (const s of services) {
        const u = s.utilization![k] ?? 0;
        if (!u) continue;
        const where = s.nodes.filter((n) => up.includes(n));
        if (s.mode === 'active-passive') {
          need += u;
          single.push({ name: s.name, u });
        } else {
          const instances = Math.min(s.instances ?? where.length, where.length);
          need += u * instances;
          for (const n of where.slice(0, instances)) share.set(n, share.get(n)! + u);
        }
      }
      const give = up.reduce((sum, n) => sum + capacity(n), 0);
      if (need > give) short.push(`${k}: the services need ${need}, ${up.join(', ')} give ${give}`);
      const room = Math.max(0, ...up.map((n) => capacity(n) - share.get(n)!));
      for (const x of single) if (x.u > room) short.push(`${k}: ${x.name} needs ${x.u}, no node has more than ${room} left beside the clones`);
    }
    if (!short.length) continue;
    if (failed === undefined) out.push(diag('HA6060', c.pointer, { cluster: c.name, short: short.join('; ') }));
    else out.push(diag('HA6061', c.pointer, { cluster: c.name, node: failed, short: short.join('; ') }));
  }
  return out;
}
