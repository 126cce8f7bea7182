/**
 * corosync.conf as `hactl import` reads it: sections (`name {` … `}`) holding `key: value` lines
 * and sections, comments from `#`. Only what a topology holds is taken from it afterwards: the
 * cluster name, the nodelist (names, nodeids, ring addresses), two_node and the quorum device.
 */

export interface CorosyncSection {
  name: string;
  values: Record<string, string>;
  sections: CorosyncSection[];
}

export type CorosyncParse = { ok: true; root: CorosyncSection } | { ok: false; line: number; detail: string };

export function parseCorosyncConf(text: string): CorosyncParse {
  const root: CorosyncSection = { name: '', values: {}, sections: [] };
  const stack = [root];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*$/, '').trim();
    if (!line) continue;
    const open = /^([A-Za-z0-9_.-]+)\s*\{$/.exec(line);
    if (open) {
      const s: CorosyncSection = { name: open[1]!, values: {}, sections: [] };
      stack[stack.length - 1]!.sections.push(s);
      stack.push(s);
      continue;
    }
    if (line === '}') {
      if (stack.length === 1) return { ok: false, line: i + 1, detail: 'a } closes no section' };
      stack.pop();
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+)\s*:\s*(.*)$/.exec(line);
    if (!kv) return { ok: false, line: i + 1, detail: `cannot read "${line.slice(0, 60)}"` };
    stack[stack.length - 1]!.values[kv[1]!] = kv[2]!.trim();
  }
  if (stack.length > 1) return { ok: false, line: lines.length, detail: `section ${stack[stack.length - 1]!.name} is not closed` };
  return { ok: true, root };
}

export interface CorosyncFacts {
  clusterName?: string;
  nodes: { name?: string; nodeid?: number; rings: string[] }[];
  twoNode: boolean;
  qdevice?: { host: string; algorithm?: string; tieBreaker?: string; tls?: string; port?: number };
}

function section(s: CorosyncSection, name: string): CorosyncSection | undefined {
  return s.sections.find((x) => x.name === name);
}

/** The facts a topology holds, from a parsed corosync.conf. */
export function corosyncFacts(root: CorosyncSection): CorosyncFacts {
  const totem = section(root, 'totem');
  const nodelist = section(root, 'nodelist');
  const quorum = section(root, 'quorum');
  const facts: CorosyncFacts = { nodes: [], twoNode: quorum?.values.two_node === '1' };
  if (totem?.values.cluster_name) facts.clusterName = totem.values.cluster_name;
  for (const n of nodelist?.sections.filter((x) => x.name === 'node') ?? []) {
    const rings: string[] = [];
    for (let r = 0; n.values[`ring${r}_addr`] !== undefined; r++) rings.push(n.values[`ring${r}_addr`]!);
    const entry: CorosyncFacts['nodes'][number] = { rings };
    if (n.values.name) entry.name = n.values.name;
    if (n.values.nodeid && /^[0-9]+$/.test(n.values.nodeid)) entry.nodeid = Number(n.values.nodeid);
    facts.nodes.push(entry);
  }
  const device = quorum && section(quorum, 'device');
  const net = device && section(device, 'net');
  if (net?.values.host) {
    const q: NonNullable<CorosyncFacts['qdevice']> = { host: net.values.host };
    if (net.values.algorithm) q.algorithm = net.values.algorithm;
    if (net.values.tie_breaker) q.tieBreaker = net.values.tie_breaker;
    if (net.values.tls) q.tls = net.values.tls;
    if (net.values.port && /^[0-9]+$/.test(net.values.port)) q.port = Number(net.values.port);
    facts.qdevice = q;
  }
  return facts;
}
