/**
 * A cluster's resources and constraints as a Graphviz DOT graph, drawn from the compiled Pacemaker
 * model (the same ClusterConfig the CIB, crmsh and pcs forms are emitted from), so the picture
 * cannot disagree with what is applied. Deterministic: resources and constraints in codepoint
 * order of their ids, every id quoted by one function, every label an HTML-like label whose text
 * is XML-escaped (so no name can end a string, start a statement or smuggle markup).
 */
import { primitivesOf, agentOf, paramOf, type ClusterConfig, type Group, type Primitive, type Resource } from '../compile/pacemaker/model.js';
import type { Topology } from '../model/types.js';
import { compareStrings } from '../util/compare.js';

/**
 * A DOT quoted id. Inside quotes DOT treats only the double quote and the backslash specially (and
 * cannot carry a backslash at the end of a string); those and control characters become \uXXXX,
 * which DOT passes through unchanged. A backslash is itself escaped, so an escaped id never equals
 * a plain one.
 */
export function dotId(s: string): string {
  return `"${s.replace(/[\u0000-\u001f\u007f"\\]/g, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)}"`;
}

/** Text for an HTML-like label: XML-escaped, control characters shown as U+FFFD, newlines as line breaks. */
export function labelText(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\r\n|\r|\n/g, '<BR/>')
    .replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
}

const FONT = 'Helvetica';
const COLOURS = {
  vip: '#fff3c4',
  stonith: '#fde2e2',
  remote: '#e6e6e6',
  service: '#e8f0fe',
  node: '#f1f8e9',
  network: '#e0f7fa',
  fence: '#b22222',
  order: '#333333',
  optional: '#777777',
  colocation: '#1565c0',
  location: '#8e24aa',
};

type Attrs = Record<string, string>;

function attrList(a: Attrs): string {
  // Values are either HTML-like labels (<...>) or quoted; keys are fixed Graphviz attribute names.
  return Object.entries(a)
    .map(([k, v]) => `${k}=${k === 'label' && !v.startsWith('<') ? `<${labelText(v)}>` : v.startsWith('<') ? v : dotId(v)}`)
    .join(', ');
}

function htmlLabel(bold: string, ...lines: string[]): string {
  const rest = lines.filter(Boolean).map((l) => `<BR/><FONT POINT-SIZE="8">${labelText(l)}</FONT>`);
  return `<<B>${labelText(bold)}</B>${rest.join('')}>`;
}


function isPromotable(meta: { name: string; value: string }[]): boolean {
  return meta.some((m) => m.name === 'promotable' && m.value === 'true');
}

export interface GraphInput {
  topology: Topology;
  config: ClusterConfig;
}

/** The DOT text of one cluster. */
export function clusterDot({ topology: t, config }: GraphInput): string {
  const cluster = t.clusters[config.name];
  const out: string[] = [];
  const line = (indent: number, s: string) => out.push(`${'  '.repeat(indent)}${s}`);
  const resources = [...config.resources].sort((a, b) => compareStrings(a.id, b.id));
  const prims = resources.flatMap(primitivesOf);
  // Constraints name top-level resources; an edge to a group or clone is drawn to its box.
  const anchor = new Map<string, { node: string; box?: string }>();
  for (const r of resources) {
    anchor.set(r.id, r.kind === 'primitive' ? { node: r.id } : { node: r.kind === 'bundle' ? `${r.id}-container` : primitivesOf(r)[0]!.id, box: `cluster_${r.id}` });
    if (r.kind === 'clone' && r.child.kind === 'group') anchor.set(r.child.id, { node: primitivesOf(r.child)[0]!.id, box: `cluster_${r.child.id}` });
  }
  const nodeKey = (n: string) => `node:${n}`;
  const netKey = (n: string) => `network:${n}`;

  line(0, `digraph ${dotId(config.name)} {`);
  line(1, `graph [${attrList({ rankdir: 'TB', compound: 'true', newrank: 'true', fontname: FONT, fontsize: '11', nodesep: '0.25', ranksep: '0.45', labelloc: 't', label: htmlLabel(`cluster ${config.name}`, `members: ${config.nodes.map((n) => n.uname).join(', ')}`) })}];`);
  line(1, `node [${attrList({ shape: 'box', style: 'rounded,filled', fillcolor: COLOURS.service, fontname: FONT, fontsize: '10', margin: '0.08,0.04' })}];`);
  line(1, `edge [${attrList({ fontname: FONT, fontsize: '8', arrowsize: '0.6' })}];`);

  const primitive = (p: Primitive, indent: number) => {
    const ip = paramOf(p, 'ip');
    const a: Attrs = {};
    if (p.class === 'stonith') {
      a.fillcolor = COLOURS.stonith;
      a.label = htmlLabel(p.id, `stonith:${p.type}`);
    } else if (p.type === 'IPaddr2' && ip) {
      a.fillcolor = COLOURS.vip;
      a.label = htmlLabel(p.id, `VIP ${ip}/${paramOf(p, 'cidr_netmask') ?? '?'}${paramOf(p, 'nic') ? ` on ${paramOf(p, 'nic')}` : ''}`);
    } else if (p.provider === 'pacemaker' && p.type === 'remote') {
      a.fillcolor = COLOURS.remote;
      a.shape = 'box3d';
      a.label = htmlLabel(p.id, `pacemaker_remote ${paramOf(p, 'server') ?? ''}`.trim());
    } else {
      a.label = htmlLabel(p.id, agentOf(p));
    }
    line(indent, `${dotId(p.id)} [${attrList(a)}];`);
  };
  const group = (g: Group, indent: number) => {
    line(indent, `subgraph ${dotId(`cluster_${g.id}`)} {`);
    line(indent + 1, `graph [${attrList({ label: htmlLabel(`group ${g.id}`), style: 'rounded', color: '#5c6bc0' })}];`);
    for (const m of g.members) primitive(m, indent + 1);
    // A group starts its members in order (and keeps them together): drawn as plain arrows.
    for (let i = 1; i < g.members.length; i++) line(indent + 1, `${dotId(g.members[i - 1]!.id)} -> ${dotId(g.members[i]!.id)} [${attrList({ color: '#9fa8da' })}];`);
    line(indent, '}');
  };
  const resource = (r: Resource, indent: number) => {
    if (r.kind === 'primitive') return primitive(r, indent);
    if (r.kind === 'group') return group(r, indent);
    if (r.kind === 'bundle') {
      // The containers are a node of their own (the bundle may hold no primitive); the primitive runs in them.
      line(indent, `subgraph ${dotId(`cluster_${r.id}`)} {`);
      line(indent + 1, `graph [${attrList({ label: htmlLabel(`bundle ${r.id}`, `${r.replicas ?? 1} replica(s)${r.promotedMax ? `, ${r.promotedMax} promoted` : ''}`), style: 'dashed,rounded', color: '#6d4c41' })}];`);
      line(indent + 1, `${dotId(`${r.id}-container`)} [${attrList({ shape: 'box3d', label: htmlLabel(`${r.runtime} ${r.image}`, r.network?.ipRangeStart ? `from ${r.network.ipRangeStart}` : 'host network') })}];`);
      if (r.primitive) primitive(r.primitive, indent + 1);
      line(indent, '}');
      return;
    }
    const promotable = isPromotable(r.meta);
    const flags = r.meta.filter((m) => m.value === 'true' && m.name !== 'promotable').map((m) => m.name);
    const title = `${promotable ? 'promotable clone' : 'clone'} ${r.id}`;
    line(indent, `subgraph ${dotId(`cluster_${r.id}`)} {`);
    line(indent + 1, `graph [${attrList({ label: htmlLabel(title, [promotable ? 'roles: Promoted, Unpromoted' : '', ...flags].filter(Boolean).join(', ')), style: 'dashed,rounded', color: promotable ? '#ef6c00' : '#00897b' })}];`);
    if (r.child.kind === 'group') group(r.child, indent + 1);
    else primitive(r.child, indent + 1);
    line(indent, '}');
  };
  for (const r of resources) resource(r, 1);

  // The members, and the networks the VIPs live on.
  line(1, `subgraph ${dotId('cluster_members')} {`);
  line(2, `graph [${attrList({ label: htmlLabel('nodes'), style: 'rounded', color: '#9e9e9e' })}];`);
  for (const n of [...config.nodes].sort((a, b) => compareStrings(a.uname, b.uname))) {
    const node = t.nodes[n.uname];
    const addrs = Object.entries(node?.addresses ?? {}).sort(([a], [b]) => compareStrings(a, b));
    line(2, `${dotId(nodeKey(n.uname))} [${attrList({ shape: 'box3d', style: 'filled', fillcolor: COLOURS.node, label: htmlLabel(n.uname, `nodeid ${n.id}`, ...addrs.map(([k, v]) => `${k} ${v}`)) })}];`);
  }
  line(1, '}');
  const vipNetworks = new Map<string, string>();
  for (const p of prims) {
    if (p.type !== 'IPaddr2') continue;
    const vip = cluster ? Object.values(cluster.vips).find((v) => v.pointer === p.source) : undefined;
    if (vip) vipNetworks.set(p.id, vip.network);
  }
  for (const net of [...new Set(vipNetworks.values())].sort(compareStrings)) {
    const cidr = t.networks[net]?.cidr ?? '';
    line(1, `${dotId(netKey(net))} [${attrList({ shape: 'ellipse', style: 'filled', fillcolor: COLOURS.network, label: htmlLabel(`network ${net}`, cidr) })}];`);
  }

  const edge = (from: string, to: string, a: Attrs) => {
    const f = anchor.get(from) ?? { node: from };
    const tt = anchor.get(to) ?? { node: to };
    const attrs: Attrs = { ...a };
    if (f.box) attrs.ltail = f.box;
    if (tt.box) attrs.lhead = tt.box;
    line(1, `${dotId(f.node)} -> ${dotId(tt.node)} [${attrList(attrs)}];`);
  };
  for (const [vip, net] of [...vipNetworks.entries()].sort(([a], [b]) => compareStrings(a, b))) {
    edge(vip, netKey(net), { style: 'dotted', arrowhead: 'none', color: '#00838f', label: 'on' });
  }
  const folded = new Set<string>();
  // Fencing: each device to the nodes it fences (pcmk_host_list; without one, every member).
  for (const p of prims.filter((x) => x.class === 'stonith')) {
    const list = paramOf(p, 'pcmk_host_list');
    // A shared device (a PDU) maps node:port pairs: the nodes it fences are the keys.
    const map = paramOf(p, 'pcmk_host_map');
    const mapped = map?.split(';').map((pair) => pair.split(':')[0]!.trim()).filter(Boolean);
    const targets = list ? list.split(/[\s,;]+/).filter(Boolean) : (mapped ?? config.nodes.map((n) => n.uname));
    for (const target of [...targets].sort(compareStrings)) {
      // The device's ban from its own target is part of the same story: one edge, not two.
      const ban = config.constraints.find((c) => c.kind === 'location' && c.rsc === p.id && c.node === target && c.score !== undefined);
      // Fencing levels: the fencer tries a node's levels in order.
      const level = (config.fencingLevels ?? []).find((l) => l.target === target && l.devices.includes(p.id));
      const what = level ? `fences (level ${level.index})` : 'fences';
      edge(p.id, nodeKey(target), { color: COLOURS.fence, fontcolor: COLOURS.fence, label: ban?.kind === 'location' ? `${what}, runs elsewhere: ${ban.score}` : what, constraint: 'false' });
      if (ban) folded.add(ban.id);
    }
  }
  // A ping clone feeds the node attribute a connectivity rule scores with.
  const attributeSource = new Map<string, string>();
  for (const r of resources) {
    for (const p of primitivesOf(r)) if (p.type === 'ping' && paramOf(p, 'name')) attributeSource.set(paramOf(p, 'name')!, r.id);
  }
  const constraints = [...config.constraints].sort((a, b) => compareStrings(a.id, b.id));
  for (const c of constraints) {
    if (c.kind === 'order') {
      const mandatory = c.orderKind === 'Mandatory';
      const label = `${c.firstAction ? `${c.firstAction}, ` : ''}then (${c.orderKind})`;
      edge(c.first, c.then, { color: mandatory ? COLOURS.order : COLOURS.optional, fontcolor: mandatory ? COLOURS.order : COLOURS.optional, penwidth: mandatory ? '1.4' : '0.8', label, tooltip: c.id });
    } else if (c.kind === 'colocation') {
      edge(c.rsc, c.withRsc, { style: 'dashed', color: COLOURS.colocation, fontcolor: COLOURS.colocation, label: `with ${c.withRscRole ? `${c.withRscRole} ` : ''}${c.score}`, constraint: 'false', tooltip: c.id });
    } else if (folded.has(c.id)) {
      continue;
    } else if (c.node !== undefined) {
      edge(c.rsc, nodeKey(c.node), { style: 'dotted', color: COLOURS.location, fontcolor: COLOURS.location, arrowhead: 'tee', label: c.score ?? '', constraint: 'false', tooltip: c.id });
    } else if (c.rule) {
      const attribute = c.rule.scoreAttribute ?? c.rule.expressions.map((e) => (e.date === undefined ? e.attribute : undefined)).find((a) => a !== undefined && attributeSource.has(a));
      const from = attribute ? attributeSource.get(attribute) : undefined;
      const label = c.rule.scoreAttribute ? `score = ${c.rule.scoreAttribute}` : `${c.rule.score ?? ''} where ${c.rule.expressions.map((e) => (e.date !== undefined ? `date ${e.date} ${[e.start, e.end].filter(Boolean).join('..')}` : `${e.attribute} ${e.operation}${e.value !== undefined ? ` ${e.value}` : ''}`)).join(` ${c.rule.booleanOp} `)}`;
      const style = { style: 'dotted', color: COLOURS.location, fontcolor: COLOURS.location, label, constraint: 'false', tooltip: c.id };
      if (from && from !== c.rsc) edge(from, c.rsc, style);
      else {
        // A rule no resource of the cluster feeds: the rule itself is the source.
        line(1, `${dotId(`rule:${c.id}`)} [${attrList({ shape: 'note', style: 'filled', fillcolor: '#f3e5f5', label: htmlLabel(c.id) })}];`);
        edge(`rule:${c.id}`, c.rsc, style);
      }
    }
  }
  // Set constraints: every resource of a set to every resource of the next (an order arrow or a
  // dashed colocation), and along a sequential set, each member to the next.
  for (const k of [...(config.sets ?? [])].sort((a, b) => compareStrings(a.id, b.id))) {
    const style: Attrs =
      k.kind === 'order-set'
        ? { color: k.orderKind === 'Mandatory' ? COLOURS.order : COLOURS.optional, fontcolor: k.orderKind === 'Mandatory' ? COLOURS.order : COLOURS.optional, label: `set, then (${k.orderKind})`, tooltip: k.id }
        : { style: 'dashed', color: COLOURS.colocation, fontcolor: COLOURS.colocation, label: `set, with ${k.score}`, constraint: 'false', tooltip: k.id };
    k.sets.forEach((set, i) => {
      if (set.sequential) set.resources.slice(1).forEach((r, j) => edge(set.resources[j]!, r, style));
      const next = k.sets[i + 1];
      // Pacemaker colocates each set with the set after it; order runs from a set to the next.
      if (next) for (const a of set.resources) for (const b of next.resources) edge(a, b, style);
    });
  }
  line(0, '}');
  return out.join('\n') + '\n';
}
