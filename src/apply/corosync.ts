/**
 * Whether a corosync.conf change can be applied with `corosync-cfgtool -R` (which tells every
 * corosync in the cluster to re-read its file), needs a rolling restart (one member at a time,
 * the cluster keeps running), or a full restart (every member at once). The tables are data:
 * corosync.conf(5) and votequorum(5) say which values corosync re-reads at runtime (the totem
 * timers, logging, and of quorum only votes, expected_votes and two_node); adding or removing a
 * whole node is reloadable with knet. Values every member must share to talk to the others at all
 * (crypto, the key, transport, cluster name, IP version) cannot change one member at a time: a
 * restarted member would be alone, so they need a full restart. Anything else not listed needs a
 * rolling restart: when unsure, restart.
 */

/** Flattened key paths that corosync re-reads on reload. `*` matches one path segment. */
export const RELOADABLE_KEYS: readonly string[] = [
  'totem.token',
  'totem.token_coefficient',
  'totem.token_retransmit',
  'totem.token_retransmits_before_loss_const',
  'totem.token_warning',
  'totem.join',
  'totem.consensus',
  'totem.merge',
  'totem.downcheck',
  'totem.fail_recv_const',
  'totem.seqno_unchanged_const',
  'totem.send_join',
  'totem.max_network_delay',
  'totem.window_size',
  'totem.max_messages',
  'totem.miss_count_const',
  'totem.hold',
  'totem.heartbeat_failures_allowed',
  'totem.knet_pmtud_interval',
  'totem.knet_compression_model',
  'totem.knet_compression_threshold',
  'totem.knet_compression_level',
  'logging.*',
  'logging.logger_subsys.*',
  'quorum.expected_votes',
  'quorum.two_node',
  'quorum.votes',
  'nodelist.node.*.quorum_votes',
];

/** Keys whose change splits a cluster restarted member by member. */
export const FULL_RESTART_KEYS: readonly string[] = [
  'totem.crypto_cipher',
  'totem.crypto_hash',
  'totem.crypto_model',
  'totem.secauth',
  'totem.keyfile',
  'totem.key',
  'totem.transport',
  'totem.cluster_name',
  'totem.ip_version',
  'totem.knet_transport',
  'totem.version',
];

export type CorosyncKind = 'reload' | 'rolling-restart' | 'full-restart';

export interface CorosyncClass {
  kind: CorosyncKind;
  /** Why, one line per changed key: `totem.token: 1000 -> 3000 (reloadable)`. */
  reasons: string[];
}

/**
 * Flattens corosync.conf into `section.sub.key -> value`. Nodes are keyed by their name (or
 * nodeid) so that reordering the nodelist is not a change; repeated sections get an index.
 */
export function flattenCorosync(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const stack: { path: string; keys: [string, string][] }[] = [{ path: '', keys: [] }];
  const seen = new Map<string, number>();
  const close = (): void => {
    const s = stack.pop()!;
    let path = s.path;
    if (path.endsWith('.node') || path === 'node') {
      const id = s.keys.find(([k]) => k === 'name')?.[1] ?? s.keys.find(([k]) => k === 'nodeid')?.[1] ?? '?';
      path = `${path}.${id}`;
    } else {
      const n = seen.get(path) ?? 0;
      seen.set(path, n + 1);
      if (n > 0) path = `${path}#${n}`;
    }
    for (const [k, v] of s.keys) out.set(`${path}.${k}`, v);
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    let m: RegExpMatchArray | null;
    if ((m = /^([A-Za-z0-9_.-]+)\s*\{$/.exec(line))) {
      const top = stack[stack.length - 1]!;
      stack.push({ path: top.path ? `${top.path}.${m[1]}` : m[1]!, keys: [] });
    } else if (line === '}') {
      if (stack.length > 1) close();
    } else if ((m = /^([A-Za-z0-9_.-]+)\s*:\s*(.*)$/.exec(line))) {
      stack[stack.length - 1]!.keys.push([m[1]!, m[2]!.trim()]);
    }
  }
  while (stack.length > 1) close();
  return out;
}

function matches(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  return p.length === k.length && p.every((s, i) => s === '*' || s === k[i]);
}

/** Classifies the change from `oldText` to `newText` (undefined old: the file is new: restart). */
export function classifyCorosyncChange(oldText: string | undefined, newText: string): CorosyncClass {
  if (oldText === undefined) return { kind: 'full-restart', reasons: ['corosync.conf is new on this node'] };
  const a = flattenCorosync(oldText);
  const b = flattenCorosync(newText);
  const nodesOf = (m: Map<string, string>): Set<string> => new Set([...m.keys()].filter((k) => k.startsWith('nodelist.node.')).map((k) => k.split('.')[2]!));
  const oldNodes = nodesOf(a);
  const newNodes = nodesOf(b);
  const reasons: string[] = [];
  let kind: CorosyncKind = 'reload';
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const before = a.get(key);
    const after = b.get(key);
    if (before === after) continue;
    const node = key.startsWith('nodelist.node.') ? key.split('.')[2]! : undefined;
    const wholeNode = node !== undefined && oldNodes.has(node) !== newNodes.has(node);
    const full = !wholeNode && FULL_RESTART_KEYS.some((p) => matches(p, key));
    const ok = !full && (wholeNode || RELOADABLE_KEYS.some((p) => matches(p, key)));
    const needs: CorosyncKind = full ? 'full-restart' : ok ? 'reload' : 'rolling-restart';
    kind = worse(kind, needs);
    const why = full ? 'every member must change at once: full restart' : ok ? (wholeNode ? 'node added or removed: reloadable' : 'reloadable') : 'read at start only: rolling restart';
    reasons.push(`${key}: ${before ?? '(none)'} -> ${after ?? '(none)'} (${why})`);
  }
  if (reasons.length === 0) reasons.push('only comments or layout changed');
  return { kind, reasons };
}

const RANK: Record<CorosyncKind, number> = { reload: 0, 'rolling-restart': 1, 'full-restart': 2 };

/** The more disruptive of two kinds (it covers the other). */
export function worse(a: CorosyncKind, b: CorosyncKind): CorosyncKind {
  return RANK[a] >= RANK[b] ? a : b;
}
