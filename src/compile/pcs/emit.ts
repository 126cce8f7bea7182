/**
 * ClusterConfig -> pcs.sh, a bash script of pcs commands. Every word hactl writes goes through
 * the one shell-quoting function; the script's own logic (arguments, the CIB file, the push) is
 * fixed text.
 */
import { compactXml } from '../../xml/serialize.js';
import { serializeXml } from '../../xml/serialize.js';
import { el } from '../../xml/tree.js';
import { oneLine, shellJoin } from '../../util/shell.js';
import { agentOf, fencingLevelElement, primitivesOf, ruleWords, type AlertConfig, type Bundle, type ClusterConfig, type Constraint, type NvPair, type Primitive, type SetConstraint } from '../pacemaker/model.js';

const pairs = (list: readonly NvPair[]): string[] => list.map((p) => `${p.name}=${p.value}`);

/** A pcs command run against the CIB file; `agent` makes it forced where that agent is missing. */
function pcs(words: string[], why?: string, agent?: string): string {
  const comment = why ? `# ${oneLine(why)}\n` : '';
  if (!agent) return `${comment}run ${shellJoin(words)}\n`;
  return `${comment}run_for_agent ${shellJoin([agent, ...words])}\n`;
}

function createPrimitive(p: Primitive, placement: string[]): string {
  const ops = p.ops.flatMap((o) => ['op', o.name, `interval=${o.interval}`, ...(o.timeout ? [`timeout=${o.timeout}`] : []), ...(o.role ? [`role=${o.role}`] : []), ...(o.onFail ? [`on-fail=${o.onFail}`] : [])]);
  const meta = p.meta.length ? ['meta', ...pairs(p.meta)] : [];
  if (p.class === 'stonith') return pcs(['stonith', 'create', p.id, p.type, ...pairs(p.params), ...ops, ...meta, ...placement], undefined, agentOf(p));
  if (agentOf(p) === 'ocf:pacemaker:remote') {
    // pcs wants `pcs cluster node add-remote` for these, which also logs in to the node over
    // pcsd and copies the authkey: apply's job, not a configuration's. The resource is the same.
    return pcs(['resource', 'create', p.id, agentOf(p), ...pairs(p.params), ...ops, ...meta, ...placement, '--no-default-ops', '--force'], `remote node ${p.id}`);
  }
  const created = pcs(['resource', 'create', p.id, agentOf(p), ...pairs(p.params), ...ops, ...meta, ...placement, '--no-default-ops'], undefined, agentOf(p));
  // pcs gives every resource it creates a monitor, even with --no-default-ops: one the cluster
  // runs without (an imported resource) loses it again.
  if (p.ops.some((o) => o.name === 'monitor')) return created;
  return created + pcs(['resource', 'op', 'delete', p.id, 'monitor'], `${p.id} has no monitor operation`);
}

const given = (rec: Record<string, string | number | undefined>): string[] => Object.entries(rec).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));

/** A bundle, then the primitive inside it (pcs puts a resource into a bundle as it creates it). */
function bundle(b: Bundle): string {
  const n = b.network;
  const words = [
    'resource',
    'bundle',
    'create',
    b.id,
    'container',
    b.runtime,
    ...given({ image: b.image, replicas: b.replicas, 'replicas-per-host': b.replicasPerHost, 'promoted-max': b.promotedMax, options: b.options }),
    ...(n ? ['network', ...given({ 'ip-range-start': n.ipRangeStart, 'host-interface': n.hostInterface, 'host-netmask': n.hostNetmask, 'control-port': n.controlPort })] : []),
    ...(n?.ports ?? []).flatMap((p) => ['port-map', ...given({ id: p.id, port: p.port, 'internal-port': p.internalPort, range: p.range })]),
    ...b.storage.flatMap((m) => ['storage-map', ...given({ id: m.id, 'source-dir': m.sourceDir, 'source-dir-root': m.sourceDirRoot, 'target-dir': m.targetDir, options: m.options })]),
    ...(b.meta.length ? ['meta', ...pairs(b.meta)] : []),
  ];
  return pcs(words) + (b.primitive ? createPrimitive(b.primitive, ['bundle', b.id]) : '');
}

function constraint(k: Constraint): string {
  switch (k.kind) {
    case 'location':
      if (k.rule) {
        const ruleScore = k.rule.scoreAttribute !== undefined ? `score-attribute=${k.rule.scoreAttribute}` : `score=${k.rule.score}`;
        return pcs(['constraint', 'location', k.rsc, 'rule', `id=${k.id}-rule`, `constraint-id=${k.id}`, ...(k.resourceDiscovery ? [`resource-discovery=${k.resourceDiscovery}`] : []), ruleScore, ...ruleWords(k.rule, 'pcs')], k.why);
      }
      // '--' ends pcs's options, so a negative score is not read as one.
      return pcs(['constraint', 'location', 'add', k.id, k.rsc, k.node!, '--', k.score!], k.why);
    case 'colocation':
      return pcs(['constraint', 'colocation', 'add', k.rsc, 'with', ...(k.withRscRole ? [k.withRscRole] : []), k.withRsc, k.score, `id=${k.id}`], k.why);
    case 'order':
      if (k.firstAction) return pcs(['constraint', 'order', k.firstAction, k.first, 'then', 'start', k.then, `kind=${k.orderKind}`, `id=${k.id}`], k.why);
      return pcs(['constraint', 'order', k.first, 'then', k.then, `kind=${k.orderKind}`, `id=${k.id}`], k.why);
  }
}

function setConstraint(k: SetConstraint): string {
  const sets = k.sets.flatMap((s) => ['set', ...s.resources, ...(s.sequential ? [] : ['sequential=false'])]);
  if (k.kind === 'order-set') return pcs(['constraint', 'order', ...sets, 'setoptions', `kind=${k.orderKind}`, `id=${k.id}`], k.why);
  return pcs(['constraint', 'colocation', ...sets, 'setoptions', `score=${k.score}`, `id=${k.id}`], k.why);
}

/** pcs has no word for an alert's select: the element is merged in with cibadmin before the recipients (the schema orders it first). */
function alert(a: AlertConfig): string {
  const out = [pcs(['alert', 'create', `path=${a.path}`, `id=${a.id}`, ...(a.meta.length ? ['meta', ...pairs(a.meta)] : [])])];
  if (a.select.length) {
    const xml = serializeXml(el('alert', { id: a.id }, [el('select', {}, a.select.map((k) => el(`select_${k}`)))])).trim();
    out.push(`CIB_file="$cib" ${shellJoin(['cibadmin', '--modify', '--xml-text', xml])}\n`);
  }
  for (const r of a.recipients) out.push(pcs(['alert', 'recipient', 'add', a.id, `value=${r.value}`, `id=${r.id}`]));
  return out.join('');
}

const HEAD = `set -euo pipefail

usage() {
  echo "usage: bash pcs.sh CIB_FILE   build the configuration into the CIB file CIB_FILE" >&2
  echo "       bash pcs.sh --push     build it on a copy of the live CIB and push the difference" >&2
  exit 2
}
[[ $# -eq 1 ]] || usage
push=0
case "$1" in
  --push)
    push=1
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    pcs cluster cib "$work/live.xml"
    cp "$work/live.xml" "$work/new.xml"
    cib="$work/new.xml"
    ;;
  -*) usage ;;
  *) cib=$1 ;;
esac

run() { pcs -f "$cib" "$@"; }

# pcs refuses an agent whose meta-data it cannot read. The ocf:openstack:* agents come with no
# package and init scripts (lsb:) exist only where their service is installed, so a command for
# an agent that is not installed here is forced (--force); installed agents are checked by pcs.
declare -A installed=()
run_for_agent() {
  local agent=$1
  shift
  if [[ -z \${installed[$agent]+set} ]]; then
    if [[ $agent == stonith:* ]]; then
      pcs stonith describe "\${agent#stonith:}" >/dev/null 2>&1 && installed[$agent]=1 || installed[$agent]=0
    else
      pcs resource describe "$agent" >/dev/null 2>&1 && installed[$agent]=1 || installed[$agent]=0
    fi
  fi
  if [[ \${installed[$agent]} == 1 ]]; then run "$@"; else run "$@" --force; fi
}
`;

export function toPcs(config: ClusterConfig, topologyName: string): string {
  const out: string[] = [
    '#!/bin/bash\n',
    `# Pacemaker configuration of cluster ${config.name} (topology ${topologyName}), compiled by hactl,\n`,
    '# as pcs commands. Generated: change the topology and compile again instead of editing this file.\n',
    '#\n',
    '#   bash pcs.sh CIB_FILE   builds into CIB_FILE with pcs -f (start from an empty CIB: cibadmin --empty)\n',
    '#   bash pcs.sh --push     builds on a copy of the live CIB (pcs cluster cib) and pushes only the\n',
    '#                          difference (pcs cluster cib-push FILE diff-against=...); nothing is\n',
    '#                          pushed if any command fails (for a cluster without these resources yet)\n',
    HEAD,
  ];
  const ours = config.properties.filter((p) => !p.topology);
  const theirs = config.properties.filter((p) => p.topology);
  for (const p of config.properties) out.push(`# ${p.name}: ${oneLine(p.why ?? '')}\n`);
  if (ours.length) out.push(pcs(['property', 'set', ...pairs(ours)]));
  // Properties from the topology are passed as written; pcs only knows a fixed list of names.
  if (theirs.length) out.push(pcs(['property', 'set', ...pairs(theirs), '--force']));
  for (const p of config.rscDefaults) out.push(`# ${p.name}: ${oneLine(p.why ?? '')}\n`);
  if (config.rscDefaults.length) out.push(pcs(['resource', 'defaults', 'update', ...pairs(config.rscDefaults)]));
  for (const p of config.opDefaults) out.push(`# ${p.name}: ${oneLine(p.why ?? '')}\n`);
  if (config.opDefaults.length) out.push(pcs(['resource', 'op', 'defaults', 'update', ...pairs(config.opDefaults)]));

  // Node entries: a live cluster has them (Pacemaker adds each corosync member with its nodeid);
  // a CIB file built from scratch gets them here.
  const nodes = config.nodes.map((n) => shellJoin(['cibadmin', '--create', '--scope', 'nodes', '--xml-text', serializeXml(el('node', { id: n.id, uname: n.uname })).trim()]));
  if (nodes.length) out.push(`if (( ! push )); then\n${nodes.map((l) => `  CIB_file="$cib" ${l}\n`).join('')}fi\n`);
  for (const n of config.nodes) {
    if (n.attributes?.length) out.push(pcs(['node', 'attribute', n.uname, ...pairs(n.attributes)]));
    if (n.utilization?.length) out.push(pcs(['node', 'utilization', n.uname, ...pairs(n.utilization)]));
  }

  for (const r of config.resources) {
    if (r.kind === 'primitive') out.push(createPrimitive(r, []));
    else if (r.kind === 'bundle') out.push(bundle(r));
    else if (r.kind === 'group') {
      for (const m of r.members) out.push(createPrimitive(m, ['--group', r.id]));
      if (r.meta.length) out.push(pcs(['resource', 'meta', r.id, ...pairs(r.meta)]));
    }
    else {
      // pcs makes a promotable clone with its own keyword, which writes promotable=true itself.
      const promotable = r.meta.some((p) => p.name === 'promotable' && p.value === 'true');
      const clone = [promotable ? 'promotable' : 'clone', r.id, ...pairs(r.meta.filter((p) => p.name !== 'promotable'))];
      if (r.child.kind === 'primitive') out.push(createPrimitive(r.child, clone));
      else {
        for (const m of r.child.members) out.push(createPrimitive(m, ['--group', r.child.id]));
        out.push(pcs(['resource', clone[0]!, r.child.id, ...clone.slice(1)]));
      }
    }
  }
  for (const p of config.resources.flatMap(primitivesOf)) if (p.utilization?.length) out.push(pcs(['resource', 'utilization', p.id, ...pairs(p.utilization)]));
  for (const k of config.constraints) out.push(constraint(k));
  for (const k of config.sets) out.push(setConstraint(k));
  for (const g of config.tags) out.push(pcs(['tag', 'create', g.id, ...g.refs]));
  for (const a of config.alerts) out.push(alert(a));
  // pcs 0.11 takes no id for a level (it writes fl-<target>-<index>): a level whose id is the running
  // cluster's, or one of the nodes a pattern or attribute selects (hactl's id), goes into the CIB
  // file with cibadmin, id and all.
  for (const l of config.fencingLevels) {
    if (l.keptId || l.by) out.push(`CIB_file="$cib" ${shellJoin(['cibadmin', '--modify', '--allow-create', '--scope', 'configuration', '--xml-text', compactXml(el('fencing-topology', {}, [fencingLevelElement(l)]))])}\n`);
    else out.push(pcs(['stonith', 'level', 'add', String(l.index), l.target, ...l.devices], l.index === 1 ? `fencing levels of ${l.target}` : undefined));
  }
  // pcs has no command for raw CIB XML: the topology's raw passthrough goes into the same CIB
  // file with cibadmin, which creates the section when the CIB has none yet.
  for (const r of config.raw) {
    r.elements.forEach((e, i) => {
      const comment = i === 0 ? `# raw CIB from the topology (raw_cib ${r.section}); pcs has no command for it\n` : '';
      out.push(`${comment}CIB_file="$cib" ${shellJoin(['cibadmin', '--modify', '--allow-create', '--scope', 'configuration', '--xml-text', compactXml({ name: r.section, attrs: {}, children: [e] })])}\n`);
    });
  }
  out.push('\nif (( push )); then\n  pcs cluster cib-push "$cib" diff-against="$work/live.xml"\nfi\n');
  return out.join('');
}
