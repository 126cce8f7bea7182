/**
 * The topology map: networks, the nodes attached to them (with their address on each), the roles
 * and clusters of the nodes, and the VIPs on each network. DOT, with the same quoting and
 * escaping as the cluster graphs.
 */
import type { Topology } from '../model/types.js';
import { contains, parseCidr } from '../util/ip.js';
import { compareStrings } from '../util/compare.js';
import { dotId, labelText } from './dot.js';

const sorted = <T>(o: Record<string, T>): [string, T][] => Object.entries(o).sort(([a], [b]) => compareStrings(a, b));

function label(bold: string, ...lines: string[]): string {
  return `<<B>${labelText(bold)}</B>${lines.filter(Boolean).map((l) => `<BR/><FONT POINT-SIZE="8">${labelText(l)}</FONT>`).join('')}>`;
}

export function topologyMapDot(t: Topology): string {
  const out: string[] = [];
  out.push(`digraph ${dotId(t.name)} {`);
  out.push(`  graph [rankdir="LR", newrank="true", fontname="Helvetica", fontsize="11", nodesep="0.2", ranksep="1.4", labelloc="t", label=${label(`topology ${t.name}`, t.region)}];`);
  out.push('  node [shape="box3d", style="filled", fillcolor="#f1f8e9", fontname="Helvetica", fontsize="10"];');
  out.push('  edge [fontname="Helvetica", fontsize="8", arrowhead="none", color="#78909c", fontcolor="#455a64"];');
  const node = (name: string, indent: string) => {
    const n = t.nodes[name]!;
    const extra = [n.remoteOf ? `pacemaker_remote of ${n.remoteOf}` : '', n.bond ? `bond ${n.bond.name} (${n.bond.interfaces.length} ports)` : '', n.fencing ? `fenced by ${n.fencing.agent}` : ''];
    out.push(`${indent}${dotId(`node:${name}`)} [label=${label(name, n.roles.join(', '), ...extra)}];`);
  };
  const placed = new Set<string>();
  for (const [name, c] of sorted(t.clusters)) {
    out.push(`  subgraph ${dotId(`cluster_${name}`)} {`);
    out.push(`    graph [label=${label(`cluster ${name}`, `corosync links: ${c.links.join(', ')}`)}, style="rounded", color="#5c6bc0"];`);
    for (const n of [...c.nodes, ...c.remoteNodes].sort(compareStrings)) {
      if (!t.nodes[n] || placed.has(n)) continue;
      placed.add(n);
      node(n, '    ');
    }
    out.push('  }');
  }
  const rest = Object.keys(t.nodes).filter((n) => !placed.has(n)).sort(compareStrings);
  if (rest.length) {
    out.push(`  subgraph ${dotId('cluster_other nodes')} {`);
    out.push(`    graph [label=${label('outside the Pacemaker clusters')}, style="rounded,dashed", color="#9e9e9e"];`);
    for (const n of rest) node(n, '    ');
    out.push('  }');
  }
  out.push('  { rank="same";');
  for (const [name, net] of sorted(t.networks)) {
    const roles = [t.ceph?.publicNetwork === name ? 'Ceph public' : '', t.ceph?.clusterNetwork === name ? 'Ceph cluster' : '', ...sorted(t.clusters).filter(([, c]) => c.links.includes(name)).map(([c]) => `corosync ${c}`)].filter(Boolean);
    out.push(`    ${dotId(`network:${name}`)} [shape="ellipse", fillcolor="#e0f7fa", label=${label(`network ${name}`, net.cidr, roles.join(', '))}];`);
  }
  out.push('  }');
  for (const [name, n] of sorted(t.nodes)) {
    for (const [net, addr] of sorted(n.addresses)) out.push(`  ${dotId(`node:${name}`)} -> ${dotId(`network:${net}`)} [label=<${labelText(addr)}>];`);
  }
  // A fence device's address (a BMC) on a network of the topology is drawn as its own attachment.
  for (const [name, n] of sorted(t.nodes)) {
    const bmc = n.fencing?.address;
    const net = bmc && !bmc.includes(":") ? sorted(t.networks).find(([, x]) => x.cidr.includes(".") && contains(parseCidr(x.cidr), bmc)) : undefined;
    if (bmc && net) out.push(`  ${dotId(`node:${name}`)} -> ${dotId(`network:${net[0]}`)} [style="dashed", color="#b22222", fontcolor="#b22222", label=<${labelText(`BMC ${bmc}`)}>];`);
  }
  for (const [cname, c] of sorted(t.clusters)) {
    for (const [vname, v] of sorted(c.vips)) {
      out.push(`  ${dotId(`vip:${cname}/${vname}`)} [shape="note", fillcolor="#fff3c4", label=${label(`VIP ${vname}`, `${v.address}`, `cluster ${cname}`)}];`);
      out.push(`  ${dotId(`network:${v.network}`)} -> ${dotId(`vip:${cname}/${vname}`)} [style="dashed", color="#f9a825"];`);
    }
  }
  out.push('}');
  return out.join('\n') + '\n';
}
