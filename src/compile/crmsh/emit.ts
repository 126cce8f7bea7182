/**
 * ClusterConfig -> crmsh configuration text for `crm configure load update`. crmsh reads each
 * statement (lines joined at a trailing backslash) with Python's shlex in POSIX mode, so every
 * word goes through the one shell-quoting function and comes back unchanged.
 */
import { oneLine, shellJoin } from '../../util/shell.js';
import { compactXml } from '../../xml/serialize.js';
import type { XmlElement } from '../../xml/tree.js';
import { agentOf, crmshCarries, crmshSetWords, primitivesOf, ruleWords, type AlertConfig, type Bundle, type ClusterConfig, type ClusterNode, type Constraint, type Group, type NvPair, type Primitive, type SetConstraint } from '../pacemaker/model.js';
import { SBD_STONITH_ID } from '../pacemaker/defaults.js';

/**
 * Comment text for crmsh: one line, and crmsh keeps a comment as an XML comment, which may not hold
 * `--` nor end in `-`, and joins a line ending in a backslash with the next one (the next statement
 * would vanish into the comment): those are spaced out or dropped. Only comment text changes;
 * values never go through here.
 */
export function crmshComment(text: string): string {
  return oneLine(text)
    .replace(/-(?=-)/g, '- ')
    .replace(/[\s\\-]+$/, '');
}

/** One statement: a first line and continuation lines, each a list of words. */
function statement(lines: string[][], why?: string[]): string {
  const comment = (why ?? []).map((w) => `# ${crmshComment(w)}\n`).join('');
  const text = lines.map((words) => shellJoin(words)).join(' \\\n\t');
  return comment + text + '\n';
}

const pairs = (list: readonly NvPair[]): string[] => list.map((p) => `${p.name}=${p.value}`);

function primitive(p: Primitive): string {
  const lines: string[][] = [['primitive', p.id, agentOf(p)]];
  if (p.params.length) lines.push(['params', ...pairs(p.params)]);
  if (p.meta.length) lines.push(['meta', ...pairs(p.meta)]);
  if (p.utilization?.length) lines.push(['utilization', ...pairs(p.utilization)]);
  for (const o of p.ops) lines.push(['op', o.name, `interval=${o.interval}`, ...(o.timeout ? [`timeout=${o.timeout}`] : []), ...(o.role ? [`role=${o.role}`] : []), ...(o.onFail ? [`on-fail=${o.onFail}`] : [])]);
  return statement(lines);
}

/** Attributes as key=value words, leaving out the unset ones. */
const given = (rec: Record<string, string | number | undefined>): string[] => Object.entries(rec).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));

/**
 * A bundle: the container, network with its port mappings, storage mappings, the primitive (a
 * statement of its own, named here) and meta. crmsh 4.4 knows docker and rkt only: it refuses a
 * podman bundle (the header says so); later crmsh reads the same words with podman.
 */
function bundle(b: Bundle): string {
  const lines: string[][] = [['bundle', b.id], [b.runtime, ...given({ image: b.image, replicas: b.replicas, 'replicas-per-host': b.replicasPerHost, 'promoted-max': b.promotedMax, options: b.options })]];
  const n = b.network;
  if (n) {
    lines.push(['network', ...given({ 'ip-range-start': n.ipRangeStart, 'host-interface': n.hostInterface, 'host-netmask': n.hostNetmask, 'control-port': n.controlPort })]);
    for (const p of n.ports) lines.push(['port-mapping', ...given({ id: p.id, port: p.port, 'internal-port': p.internalPort, range: p.range })]);
  }
  if (b.storage.length) lines.push(['storage'], ...b.storage.map((m) => ['storage-mapping', ...given({ id: m.id, 'source-dir': m.sourceDir, 'source-dir-root': m.sourceDirRoot, 'target-dir': m.targetDir, options: m.options })]));
  if (b.primitive) lines.push(['primitive', b.primitive.id]);
  if (b.meta.length) lines.push(['meta', ...pairs(b.meta)]);
  return statement(lines);
}

function group(g: Group): string {
  const lines: string[][] = [['group', g.id, ...g.members.map((m) => m.id)]];
  if (g.meta.length) lines.push(['meta', ...pairs(g.meta)]);
  return statement(lines);
}

const SCORE: Record<string, string> = { INFINITY: 'inf:', '-INFINITY': '-inf:' };
const score = (s: string): string => SCORE[s] ?? `${s}:`;

function constraint(k: Constraint): string {
  switch (k.kind) {
    case 'location': {
      if (k.rule) {
        // A rule score that is not a number or inf is read by crmsh as a score-attribute.
        const ruleScore = k.rule.scoreAttribute !== undefined ? `${k.rule.scoreAttribute}:` : score(k.rule.score);
        const discovery = k.resourceDiscovery ? [`resource-discovery=${k.resourceDiscovery}`] : [];
        return statement([['location', k.id, k.rsc, ...discovery, 'rule', ruleScore, ...ruleWords(k.rule)]], [k.why]);
      }
      return statement([['location', k.id, k.rsc, score(k.score!), k.node!]], [k.why]);
    }
    case 'colocation':
      return statement([['colocation', k.id, score(k.score), k.rsc, k.withRscRole ? `${k.withRsc}:${k.withRscRole}` : k.withRsc]], [k.why]);
    case 'order':
      // crmsh reads resource:action on either side; the other side then says its own action.
      if (k.firstAction) return statement([['order', k.id, `${k.orderKind}:`, `${k.first}:${k.firstAction}`, `${k.then}:start`]], [k.why]);
      return statement([['order', k.id, `${k.orderKind}:`, k.first, k.then]], [k.why]);
  }
}

function node(n: ClusterNode): string {
  const lines: string[][] = [['node', `${n.id}:`, n.uname]];
  if (n.attributes?.length) lines.push(['attributes', ...pairs(n.attributes)]);
  if (n.utilization?.length) lines.push(['utilization', ...pairs(n.utilization)]);
  return statement(lines);
}

/**
 * Sets as crmsh writes them: a sequential set as bare ids, a non-sequential one in parentheses.
 * Two sequential sets in a row would read as one; the topology rules refuse them (HA3073).
 */
function setConstraint(k: SetConstraint): string {
  const words = k.sets.flatMap((s) => (s.sequential ? s.resources : ['(', ...s.resources, ')']));
  if (k.kind === 'order-set') return statement([['order', k.id, `${k.orderKind}:`, ...words]], [k.why]);
  return statement([['colocation', k.id, score(k.score!), ...words]], [k.why]);
}

function alert(a: AlertConfig): string {
  const lines: string[][] = [['alert', a.id, a.path]];
  if (a.meta.length) lines.push(['meta', ...pairs(a.meta)]);
  if (a.select.length) lines.push(['select', ...a.select]);
  for (const r of a.recipients) lines.push(['to', r.value]);
  return statement(lines);
}

function attributeStatement(keyword: string, setId: string, list: readonly NvPair[]): string {
  if (!list.length) return '';
  return statement(
    [[keyword, `${setId}:`], ...list.map((p) => [`${p.name}=${p.value}`])],
    list.map((p) => `${p.name}: ${p.why ?? ''}`.trim()),
  );
}

/** Agents in the configuration, for the header's note on forcing. */
function agents(config: ClusterConfig): string[] {
  return [...new Set(config.resources.flatMap(primitivesOf).map(agentOf))].sort();
}

export function toCrmsh(config: ClusterConfig, topologyName: string): string {
  const out: string[] = [];
  out.push(
    [
      `# Pacemaker configuration of cluster ${config.name} (topology ${topologyName}), compiled by hactl.`,
      '# Generated: change the topology and compile again instead of editing this file.',
      '#',
      '# Load into the running cluster:   crm configure load update configure.crm',
      '# Load into a CIB file:            CIB_file=FILE crm configure load update configure.crm',
      '#',
      '# crmsh checks every agent against its meta-data and loads nothing if one is missing',
      '# ("no such resource agent"). The ocf:openstack:* agents come with no package, and init',
      '# scripts (lsb:) exist only where their service is installed: where crmsh runs without them,',
      '# force the load with  crm -F configure load update configure.crm',
      '#',
      `# Agents used: ${agents(config).join(' ')}`,
      ...(config.resources.some((r) => r.kind === 'bundle' && r.runtime === 'podman')
        ? ['#', '# Podman bundles: crmsh 4.4 and older know only docker and rkt containers and refuse this', '# file; load it with a crmsh that knows podman, or use pcs.sh or cib.xml.']
        : []),
    ]
      .map((l) => l + '\n')
      .join(''),
  );
  // Cluster options first: crmsh keeps the comments before a statement as XML comments inside
  // the element it creates, so the header lands in the cluster options, not in a resource.
  out.push(attributeStatement('property', 'cib-bootstrap-options', config.properties));
  out.push(attributeStatement('rsc_defaults', 'rsc-options', config.rscDefaults));
  out.push(attributeStatement('op_defaults', 'op-options', config.opDefaults));
  for (const n of config.nodes) out.push(node(n));
  const primitives = config.resources.flatMap(primitivesOf);
  for (const p of primitives) out.push(primitive(p));
  for (const r of config.resources) {
    const inner = r.kind === 'clone' ? r.child : r;
    if (inner.kind === 'group') out.push(group(inner));
  }
  for (const r of config.resources) {
    if (r.kind !== 'clone') continue;
    const lines: string[][] = [['clone', r.id, r.child.id]];
    if (r.meta.length) lines.push(['meta', ...pairs(r.meta)]);
    out.push(statement(lines));
  }
  for (const r of config.resources) if (r.kind === 'bundle') out.push(bundle(r));
  for (const k of config.constraints) out.push(constraint(k));
  for (const k of config.sets) out.push(setConstraint(k));
  for (const g of config.tags) out.push(statement([['tag', `${g.id}:`, ...g.refs]]));
  for (const a of config.alerts) out.push(alert(a));
  // crmsh has no `xml` for fencing levels and holds one fencing_topology: the raw levels of a
  // node (an imported cluster's) join hactl's in it when they are numbered 1, 2, … per node.
  const rawLevels = config.raw.filter((r) => r.section === 'fencing-topology').flatMap((r) => r.elements);
  const levels = [...config.fencingLevels.map((l) => ({ target: l.target, index: l.index, devices: l.devices.join(',') })), ...rawLevels.map((e) => ({ target: e.attrs.target, index: Number(e.attrs.index), devices: e.attrs.devices ?? '' }))];
  const targets = [...new Set(levels.map((l) => l.target))];
  const numbered = targets.every((n) => n !== undefined && levels.filter((l) => l.target === n).every((_l, i, all) => all.some((x) => x.index === i + 1)));
  if (levels.length && numbered) {
    // One statement: `node: level1 level2 …`, the devices of one level joined by commas. crmsh
    // names the levels itself (fencing, fencing-0, …): ids of levels are not compared.
    // A pattern or attribute target is written pattern:<p> or attr:<name>=<value>, without the colon after a node.
    const byTarget = new Set(config.fencingLevels.filter((l) => l.by).map((l) => l.target));
    const lines = targets.map((n) => [byTarget.has(n!) ? n! : `${n}:`, ...levels.filter((l) => l.target === n).sort((a, b) => a.index - b.index).map((l) => l.devices)]);
    const sbd = config.fencingLevels.some((l) => l.devices.includes(SBD_STONITH_ID));
    const why = config.fencingLevels.length
      ? [`fencing levels: each node by its own device first, then by the shared devices that cut its power${sbd ? ', then by a poison pill on the SBD disks' : ''}`]
      : ['fencing levels (raw_cib fencing-topology)'];
    out.push(statement([['fencing_topology', ...lines[0]!], ...lines.slice(1)], why));
  }
  // The topology's raw passthrough: crmsh takes an element it has no syntax for as `xml <...>`,
  // one line each; a group or clone in its own syntax (rawContainer).
  for (const r of config.raw) {
    if (r.section === 'fencing-topology' && numbered) continue;
    r.elements.forEach((e, i) => out.push(`${i === 0 ? `# ${crmshComment(`raw CIB from the topology (raw_cib ${r.section})`)}\n` : ''}${rawStatement(r.section, e)}`));
  }
  return out.filter(Boolean).join('');
}

/**
 * One raw element: a set of the defaults in crmsh's own syntax (crmsh loads no `xml` of them) or,
 * where crmsh has none (and for a property set with a score, which crmsh's `xml` drops), a
 * comment saying so (the lower warns, HA3224); a container as rawContainer writes it; anything
 * else as `xml`.
 */
function rawStatement(section: ClusterConfig['raw'][number]['section'], e: XmlElement): string {
  const missing = `# ${crmshComment(`${section} set ${e.attrs.id ?? ''} is not here: crmsh has no syntax for it (HA3224); load cib.xml or pcs.sh`)}\n`;
  if (section === 'rsc_defaults' || section === 'op_defaults') {
    const words = crmshSetWords(e);
    return words ? statement([[section, ...words]]) : missing;
  }
  if (!crmshCarries(section, e)) return missing;
  return (section === 'resources' && rawContainer(e)) || `xml ${compactXml(e)}\n`;
}

/**
 * A raw group, clone or master in crmsh's own syntax: crmsh 4.4 reads an `xml <group>` or
 * `xml <clone>` with the primitives inside as references to objects it does not have, and loads
 * nothing ("g_mysql refers to missing object p_mysql"). So the members come first, each an `xml`
 * statement (a group inside a clone in this same form), then `group`/`clone`/`ms` naming them
 * with the container's meta attributes. Undefined (the caller writes `xml` as before) when the
 * container holds more than crmsh's statement says: several or conditional attribute sets, or
 * attributes other than its id.
 */
function rawContainer(e: XmlElement): string | undefined {
  const keyword = e.name === 'group' ? 'group' : e.name === 'clone' ? 'clone' : e.name === 'master' ? 'ms' : undefined;
  if (!keyword || Object.keys(e.attrs).some((k) => k !== 'id') || e.attrs.id === undefined) return undefined;
  const sets = e.children.filter((c) => c.name !== 'primitive' && c.name !== 'group');
  const members = e.children.filter((c) => c.name === 'primitive' || c.name === 'group');
  if (sets.length > 1 || sets.some((s) => s.name !== 'meta_attributes')) return undefined;
  const meta: string[] = [];
  for (const nv of sets[0]?.children ?? []) {
    if (nv.name !== 'nvpair' || nv.attrs.name === undefined || nv.attrs.value === undefined) return undefined;
    meta.push(`${nv.attrs.name}=${nv.attrs.value}`);
  }
  if (Object.keys(sets[0]?.attrs ?? {}).some((k) => k !== 'id')) return undefined;
  if (!members.length || (keyword !== 'group' && members.length !== 1) || (keyword === 'group' && members.some((m) => m.name !== 'primitive'))) return undefined;
  const inner: string[] = [];
  for (const m of members) {
    const nested = m.name === 'group' ? rawContainer(m) : `xml ${compactXml(m)}\n`;
    if (nested === undefined) return undefined;
    inner.push(nested);
  }
  const lines: string[][] = [[keyword, e.attrs.id, ...members.map((m) => m.attrs.id!)]];
  if (meta.length) lines.push(['meta', ...meta]);
  return inner.join('') + statement(lines);
}
