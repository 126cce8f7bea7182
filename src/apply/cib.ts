/**
 * The CIB side of apply: build the candidate from a fresh read of the live CIB, and push it as one
 * versioned patch.
 *
 * The candidate is the live CIB with every object hactl manages replaced by the compiled one (and
 * owned objects the compile no longer has removed), and hactl's ownership record rewritten in the
 * same document; the node attributes and capacities the topology declares are set by name on the
 * node entries. Everything else - the status section, the rest of the node entries, an operator's
 * cli-ban/cli-prefer constraints, properties hactl does not set, objects the record does not
 * list, the operator's target-role/is-managed/maintenance on hactl's resources (diff/runtime.ts:
 * where the topology states one as intent, the record tells the operator's later change from
 * hactl's value) - stays exactly as it was read. Being the live document, it keeps the live
 * `validate-with` and `crm_feature_set`; its epoch is the live one plus one.
 *
 * The push runs on one node of the cluster: crm_verify checks the candidate, `crm_diff --cib`
 * computes a v2 patchset from the document hactl read to the candidate (so the patch carries the
 * version it was computed against), and `cibadmin --patch` applies it. The CIB manager applies a
 * patch only to the exact version it names: if anything changed the CIB since hactl's read (a
 * configuration change, or only a status update), Pacemaker refuses it with "Update was older than
 * existing configuration" and nothing is lost. hactl then re-reads; when the objects it is about
 * to change were changed by someone else, it stops with a conflict rather than overwrite them.
 */
import { carryRuntime, propertyIntent, withoutProperties, declaredNodePairs, declaredNodeTokens, diffCibs, hactlOwnership, intentTokensOf, NODE_PAIR_KINDS, nodePairToken, ownedIdsOf, recordedIds, recordedIntent, recordedNodePairs, REFERENCE_OWNERSHIP, alwaysUnmanaged, writeRecord, type CibDiff, type NodePairKind, type ObjectChange, type Ownership } from '../diff/index.js';
import { PROPERTY_SECTIONS } from '../diff/rules.js';
import type { Transport } from '../remote/ssh.js';
import { serializeXml } from '../xml/serialize.js';
import { configurationOf, type XmlElement } from '../xml/tree.js';

function copy(e: XmlElement): XmlElement {
  return { name: e.name, attrs: { ...e.attrs }, children: e.children.map(copy) };
}

function configurationOrThrow(cib: XmlElement): XmlElement {
  const c = configurationOf(cib);
  if (!c) throw new Error('CIB without a <configuration> element');
  return c;
}

/**
 * Name/value sets of a property section merged pair by pair: hactl's pairs win, others stay. A
 * set the live CIB's record lists as hactl's (a raw_cib set an apply wrote or an import adopted)
 * that the compile no longer has is removed whole; any other set stays.
 */
function mergeProperties(live: XmlElement, compiled: XmlElement, recorded: ReadonlySet<string>): XmlElement {
  const out = copy(live);
  out.children = out.children.filter((s) => s.attrs.id === undefined || !recorded.has(s.attrs.id) || compiled.children.some((c) => c.name === s.name && c.attrs.id === s.attrs.id));
  for (const set of compiled.children) {
    const target = out.children.find((s) => s.name === set.name && s.attrs.id === set.attrs.id);
    if (!target) {
      out.children.push(copy(set));
      continue;
    }
    Object.assign(target.attrs, set.attrs);
    for (const nv of set.children) {
      const key = nv.name === 'nvpair' ? nv.attrs.name : undefined;
      const at = target.children.findIndex((c) => c.name === nv.name && (key !== undefined ? c.attrs.name === key : c.attrs.id === nv.attrs.id));
      if (at >= 0) target.children[at] = copy(nv);
      else target.children.push(copy(nv));
    }
  }
  return out;
}

function allIds(e: XmlElement, out: Set<string>): Set<string> {
  if (e.attrs.id !== undefined) out.add(e.attrs.id);
  for (const c of e.children) allIds(c, out);
  return out;
}

/** `base`, or `base-2`, `base-3`... : the first id no element of the CIB has yet. */
function freshId(base: string, used: Set<string>): string {
  let id = base;
  for (let i = 2; used.has(id); i++) id = `${base}-${i}`;
  used.add(id);
  return id;
}

/**
 * The node entries with the attributes and capacities the topology declares set by name (in the
 * first set of their kind that has them, else in the node's first set of that kind, else in a new
 * set named as the compile names it), the pairs the record lists that the topology no longer
 * declares removed, and every other pair (standby, an operator's) kept. A node the cluster has no
 * entry for yet gets the compiled entry (its id is the corosync node id hactl configured).
 */
function mergeNodes(live: XmlElement, compiled: XmlElement, recorded: ReadonlySet<string>, used: Set<string>): void {
  const declared = declaredNodePairs({ name: 'configuration', attrs: {}, children: [compiled] });
  for (const cnode of compiled.children) {
    const uname = cnode.attrs.uname;
    if (cnode.name !== 'node' || uname === undefined) continue;
    const node = live.children.find((n) => n.name === 'node' && n.attrs.uname === uname);
    if (!node) {
      // A remote node's entry has its connection resource's id (node ids are no XML IDs).
      if (declared.get(uname)?.size && cnode.attrs.id !== undefined && (!used.has(cnode.attrs.id) || cnode.attrs.type === 'remote')) {
        live.children.push(copy(cnode));
        allIds(cnode, used);
      }
      continue;
    }
    const emptied = new Set<XmlElement>();
    for (const kind of Object.keys(NODE_PAIR_KINDS) as NodePairKind[]) {
      const want = declared.get(uname)?.get(kind) ?? new Map<string, string>();
      const placed = new Set<string>();
      for (const set of node.children) {
        if (set.name !== kind) continue;
        const before = set.children.length;
        set.children = set.children.filter((nv) => {
          const name = nv.name === 'nvpair' ? nv.attrs.name : undefined;
          if (name === undefined) return true;
          const value = want.get(name);
          if (value === undefined) return !recorded.has(nodePairToken(kind, uname, name));
          // Only the first occurrence is the value Pacemaker reads: a duplicate would shadow nothing.
          if (placed.has(name)) return false;
          placed.add(name);
          nv.attrs.value = value;
          return true;
        });
        if (before && !set.children.length) emptied.add(set);
      }
      const missing = [...want].filter(([name]) => !placed.has(name));
      if (!missing.length) continue;
      let set = node.children.find((c) => c.name === kind && !c.children.some((x) => x.name === 'rule'));
      if (!set) {
        const model = cnode.children.find((c) => c.name === kind);
        set = { name: kind, attrs: { id: freshId(model?.attrs.id ?? `nodes-${node.attrs.id ?? uname}${kind === 'utilization' ? '-utilization' : ''}`, used) }, children: [] };
        node.children.push(set);
      }
      for (const [name, value] of missing) set.children.push({ name: 'nvpair', attrs: { id: freshId(`${set.attrs.id}-${name}`, used), name, value }, children: [] });
    }
    // A set the record's removals emptied goes with them.
    node.children = node.children.filter((c) => !emptied.has(c) || c.children.length > 0);
  }
}

/**
 * A section of objects: hactl's objects replaced, stale owned ones dropped, the rest kept. An
 * object the diff found unchanged keeps its live spelling (another tool's ids for its attribute
 * sets, say): rewriting it would change nothing but the epoch.
 */
function mergeObjects(section: string, live: XmlElement, compiled: XmlElement, own: Ownership, touched: ReadonlySet<string> | undefined): XmlElement {
  const out: XmlElement = { name: live.name, attrs: { ...live.attrs }, children: [] };
  const key = (e: XmlElement) => `${e.name}|${e.attrs.id ?? ''}`;
  const wanted = new Map(compiled.children.map((c) => [key(c), c]));
  const placed = new Set<string>();
  for (const c of live.children) {
    const k = key(c);
    const mine = wanted.get(k);
    if (mine) {
      placed.add(k);
      if (touched && !touched.has(`${section}|${c.attrs.id ?? ''}`)) {
        out.children.push(copy(c));
        continue;
      }
      const next = copy(mine);
      carryRuntime(c, next, own.intent);
      out.children.push(next);
      continue;
    }
    const ref = { section, tag: c.name, id: c.attrs.id ?? '' };
    if (!alwaysUnmanaged(ref) && own.ownsExtra(ref)) continue;
    out.children.push(copy(c));
  }
  for (const c of compiled.children) if (!placed.has(key(c))) out.children.push(copy(c));
  return out;
}

/**
 * The live CIB with hactl's objects replaced by the compiled ones, and the ownership record
 * listing exactly the compiled objects (those of the record the compile no longer has are
 * removed with it). `own` must come from `live` (hactlOwnership(live)); `touched`, the
 * `section|id` keys of the objects the diff found different (touchedObjects), lets every other
 * object keep its live spelling. Callers refuse foreign objects first (ObjectChange.foreign):
 * this replaces every object the compile has. The epoch is bumped (and num_updates reset) as the
 * CIB manager does for a configuration change, so the patch's target version is newer than its
 * source.
 */
export function buildCandidate(live: XmlElement, compiled: XmlElement, own: Ownership = hactlOwnership(live), touched?: ReadonlySet<string>): XmlElement {
  if (live.name !== 'cib') throw new Error(`the live CIB's root is <${live.name}>, not <cib>`);
  const cand = copy(live);
  const liveConf = configurationOrThrow(cand);
  const compiledConf = configurationOrThrow(compiled);
  const recorded = own.recorded ?? new Set<string>();
  for (const section of compiledConf.children) {
    const at = liveConf.children.findIndex((c) => c.name === section.name);
    // Node entries are per-node state that the cluster and its operators own, but for the
    // attributes and capacities the topology declares.
    if (section.name === 'nodes') {
      const nodes = at < 0 ? { name: 'nodes', attrs: {}, children: [] } : liveConf.children[at]!;
      if (at < 0) liveConf.children.push(nodes);
      mergeNodes(nodes, section, recordedNodePairs(live), allIds(cand, new Set()));
      continue;
    }
    if (at < 0) {
      liveConf.children.push(copy(section));
      continue;
    }
    const old = liveConf.children[at]!;
    if (section.name === 'crm_config') {
      // The operator's maintenance-mode/stop-all-resources over the topology's intent stay; an
      // intent the topology dropped goes (diff/runtime.ts).
      const p = propertyIntent(compiled, live, own.intent ?? new Map());
      const merged = mergeProperties(old, configurationOf(withoutProperties(compiled, new Set(p.operator.keys())))!.children.find((c) => c.name === 'crm_config')!, recorded);
      liveConf.children[at] = configurationOf(withoutProperties({ name: 'configuration', attrs: {}, children: [merged] }, new Set(p.dropped.keys())))!.children[0]!;
      continue;
    }
    liveConf.children[at] = PROPERTY_SECTIONS.has(section.name) ? mergeProperties(old, section, recorded) : mergeObjects(section.name, old, section, own, touched);
  }
  // Owned objects in live sections the compile does not produce at all (e.g. a stale hactl
  // fencing-topology after fencing levels were removed from the topology).
  for (let i = 0; i < liveConf.children.length; i++) {
    const s = liveConf.children[i]!;
    if (s.name === 'nodes' || compiledConf.children.some((c) => c.name === s.name)) continue;
    const none = { name: s.name, attrs: {}, children: [] };
    liveConf.children[i] = PROPERTY_SECTIONS.has(s.name) ? mergeProperties(s, none, recorded) : mergeObjects(s.name, s, none, own, touched);
  }
  writeRecord(cand, ownedIdsOf(compiled), declaredNodeTokens(compiled), intentTokensOf(compiled));
  const epoch = Number.parseInt(live.attrs.epoch ?? '0', 10);
  cand.attrs.epoch = String((Number.isFinite(epoch) ? epoch : 0) + 1);
  cand.attrs.num_updates = '0';
  return cand;
}

/** Whether the live CIB's ownership record differs from what an apply of `compiled` writes. */
export function recordDiffers(live: XmlElement, compiled: XmlElement): boolean {
  const same = (now: Set<string>, next: string[]) => now.size === next.length && next.every((id) => now.has(id));
  const intent = [...recordedIntent(live)].map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return !same(recordedIds(live), ownedIdsOf(compiled)) || !same(recordedNodePairs(live), declaredNodeTokens(compiled)) || !same(new Set(intent), intentTokensOf(compiled));
}

/**
 * Objects of the compile that exist on the cluster without being recorded as hactl's: adopted
 * by the next apply. `foreign` are those among them that differ from the compiled ones (apply
 * changes them only when told to adopt them).
 */
export function adoptions(diff: CibDiff, live: XmlElement, compiled: XmlElement): { adopt: string[]; foreign: string[] } {
  const recorded = recordedIds(live);
  const liveIds = new Set(ownedIdsOf(live));
  const adopt = ownedIdsOf(compiled).filter((id) => liveIds.has(id) && !recorded.has(id));
  const foreign = [...new Set(diff.changes.filter((c) => c.foreign).map((c) => c.parents[0] ?? c.id))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { adopt, foreign };
}

export interface CibVersion {
  admin_epoch: string;
  epoch: string;
  num_updates: string;
}

export function versionOf(cib: XmlElement): CibVersion {
  return { admin_epoch: cib.attrs.admin_epoch ?? '0', epoch: cib.attrs.epoch ?? '0', num_updates: cib.attrs.num_updates ?? '0' };
}

export function formatVersion(v: CibVersion): string {
  return `${v.admin_epoch}.${v.epoch}.${v.num_updates}`;
}

/** The managed objects a diff touches, as `section|root id` keys. */
export function touchedObjects(diff: CibDiff): Set<string> {
  return new Set(diff.changes.filter((c) => c.managed).map(objectKey));
}

function objectKey(c: ObjectChange): string {
  return `${c.section}|${c.tag === 'property' ? c.id : (c.parents[0] ?? c.id)}`;
}

/**
 * What changed between two reads of the live CIB, as object keys (configuration only: status and
 * version attributes are not objects).
 */
export function changedBetween(before: XmlElement, after: XmlElement): Set<string> {
  const r = diffCibs(before, after, REFERENCE_OWNERSHIP);
  if (!r.ok) throw new Error(`cannot compare two reads of the live CIB: ${r.message}`);
  return new Set(r.diff.changes.map(objectKey));
}

/**
 * Push script, run on one cluster node. stdin: a line with the byte length of the live CIB as
 * read, that CIB, then the candidate. Exit codes: 0 pushed (stdout "pushed") or nothing to push
 * (stdout "unchanged"); 10 crm_verify rejected the candidate; 11 crm_diff failed; otherwise
 * cibadmin's own exit code (103: the CIB changed since the read; 104: digest mismatch).
 *
 * crm_verify exits non-zero for warnings too, and a candidate that removes a running resource
 * always warns (its history in the status section is an orphan to stop): only errors refuse it.
 *
 * Status updates (a resource's monitor result, a node attribute) bump only num_updates, never the
 * epoch, and come every few seconds on a busy cluster: a patch that names the exact num_updates of
 * hactl's read would almost never get through there. Just before the push, the script reads the
 * CIB's version on the node; when admin_epoch and epoch are still those of hactl's read, the
 * configuration is the one hactl compared against, so the patch's source num_updates is set to
 * the current one (and its digest, which covers the status section too, dropped). Pacemaker still
 * checks all three numbers: a configuration change in between (a new epoch) refuses the patch.
 */
export const PUSH_SCRIPT = `set -u
d=$(mktemp -d "\${TMPDIR:-/tmp}/hactl-cib.XXXXXX") || exit 12
trap 'rm -rf -- "$d"' EXIT
IFS= read -r n || exit 12
head -c "$n" > "$d/live.xml"
cat > "$d/new.xml"
crm_verify --xml-file "$d/new.xml" > "$d/verify" 2>&1
if [ $? -ne 0 ] && grep -q -e 'Errors found' -e 'error:' "$d/verify"; then cat "$d/verify" >&2; exit 10; fi
crm_diff --cib --original "$d/live.xml" --new "$d/new.xml" > "$d/patch.xml"
rc=$?
if [ $rc -eq 0 ]; then echo unchanged; exit 0; fi
[ $rc -eq 1 ] || exit 11
attr() { sed -n 's/.*[ <]'"$1"'="\\([0-9]*\\)".*/\\1/p' | head -n 1; }
src=$(grep -m 1 '<source ' "$d/patch.xml")
now=$(cibadmin --query | head -n 1)
if [ -n "$now" ] && [ "$(printf '%s' "$now" | attr admin_epoch)" = "$(printf '%s' "$src" | attr admin_epoch)" ] && [ "$(printf '%s' "$now" | attr epoch)" = "$(printf '%s' "$src" | attr epoch)" ]; then
  u=$(printf '%s' "$now" | attr num_updates)
  if [ -n "$u" ]; then
    sed -e '/<source /s/num_updates="[0-9]*"/num_updates="'"$u"'"/' -e '1s/ digest="[0-9a-f]*"//' "$d/patch.xml" > "$d/rebased.xml" && mv -f -- "$d/rebased.xml" "$d/patch.xml"
  fi
fi
cibadmin --patch --xml-file "$d/patch.xml" >&2
rc=$?
[ $rc -eq 0 ] && echo pushed
exit $rc
`;

/** cibadmin exit codes that mean "the CIB is not the version this patch was computed from". */
export const REFUSED_CODES: ReadonlySet<number> = new Set([103, 104]);

export type PushOutcome =
  | { kind: 'pushed' }
  | { kind: 'unchanged' }
  | { kind: 'refused'; detail: string }
  | { kind: 'invalid'; detail: string }
  | { kind: 'failed'; code: number; detail: string };

export async function pushPatch(t: Transport, node: string, liveText: string, candidate: XmlElement): Promise<PushOutcome> {
  const live = Buffer.from(liveText, 'utf8');
  const stdin = `${live.length}\n${liveText}${serializeXml(candidate)}`;
  const r = await t.exec(node, ['sh', '-c', PUSH_SCRIPT, 'hactl-cib-push'], stdin);
  const detail = r.stderr.trim().split('\n').slice(-5).join('\n');
  if (r.exitCode === 0) return r.stdout.trim() === 'unchanged' ? { kind: 'unchanged' } : { kind: 'pushed' };
  if (r.exitCode === 10) return { kind: 'invalid', detail };
  if (REFUSED_CODES.has(r.exitCode)) return { kind: 'refused', detail };
  return { kind: 'failed', code: r.exitCode, detail };
}
