/**
 * Saved plans (`apply --plan-out FILE`, `apply --plan FILE`): the plan as a document that holds no
 * secret value and no checksum anyone could test a password against, and the check that the
 * cluster is still in the state the plan was made against before it is carried out.
 *
 * What a plan records of a node's files is a keyed digest, sha256(K || content), where K is 32
 * random bytes the node keeps in /var/lib/hactl/digest.key (root only, made at the first saved
 * plan). A plain sha256 of a file that holds a password would let anyone holding the plan test
 * guesses offline; the keyed digest tells nothing without K, and whoever can read K (root on that
 * node) can read the file itself. The node computes the digest of its own file (the file's bytes
 * never leave the node for this); apply reads K into memory only, to key the content it would
 * write the same way, and never writes, prints or stores it. K being secret and of fixed length,
 * the prefix construction hides the content as well as an HMAC would (length extension forges
 * digests of longer inputs; it reveals nothing about the input).
 *
 * A plan is carried out by making it again from the same topology and secrets and comparing: the
 * hactl format and version, the topology's digest (everything it compiles to, secrets as
 * references), each cluster's configuration (admin_epoch, epoch and a digest of the configuration
 * section; status updates do not count), each node file's keyed digest, what would be written, and
 * what the plan shows (impact included). Any difference refuses the plan before anything changes.
 */
import { createHash } from 'node:crypto';
import { invalidInput, remoteFailure } from '../errors.js';
import { plan as validatePlanSchema } from '../validate/generated/validators.js';
import { RemoteCommandError, sha256 } from '../remote/files.js';
import type { Transport } from '../remote/ssh.js';
import { runBounded } from '../util/pool.js';
import { serializeXml } from '../xml/serialize.js';
import { configurationOf } from '../xml/tree.js';
import type { Desired } from './desired.js';
import { disruptionsOf } from './impact.js';
import { applyJson } from './json.js';
import { fileKey, type Payload, type Plan } from './plan.js';

export const PLAN_SCHEMA_ID = 'https://hactl.dev/schemas/plan.schema.json';
/** Bumped whenever what a saved plan records, or how it is compared, changes. */
export const PLAN_FORMAT = 1;
/** Where each node keeps the key of its digests. */
export const DIGEST_KEY = '/var/lib/hactl/digest.key';

/**
 * Run on a node: `sh -c DIGEST_SCRIPT NAME KEYFILE PATH...`. Makes the key when there is none
 * (mktemp + link: two planners at once end with one key), then prints the key in hex and, per
 * path, the keyed digest of the regular file there or `-`.
 */
export const DIGEST_SCRIPT = `set -u
umask 077
k=$1; shift
if [ ! -s "$k" ]; then
  mkdir -p -- "\${k%/*}" || exit 70
  t=$(mktemp -- "\${k%/*}/.digest-key.XXXXXX") || exit 70
  head -c 32 /dev/urandom > "$t" && ln -- "$t" "$k" 2>/dev/null
  rm -f -- "$t"
fi
[ "$(wc -c < "$k")" -eq 32 ] || { echo "hactl: $k is not a 32-byte key" >&2; exit 71; }
od -An -v -tx1 -- "$k" | tr -d ' \\n'; echo
for f in "$@"; do
  if [ -f "$f" ] && [ ! -L "$f" ]; then s=$({ cat -- "$k" && cat -- "$f"; } | sha256sum) || exit 74; echo "\${s%% *}"; else echo -; fi
done
`;

/** The keyed digest of content, as the node computes it of its file. */
export function keyedDigest(key: Buffer, content: Buffer): string {
  return createHash('sha256').update(key).update(content).digest('hex');
}

/** Names a node's key in the plan without revealing anything about it. */
function keyId(key: Buffer): string {
  return createHash('sha256').update('hactl digest key id\u0000').update(key).digest('hex').slice(0, 16);
}

export interface NodeDigests {
  key: Buffer;
  /** path -> keyed digest of the node's file, or undefined when there is no regular file. */
  files: Map<string, string | undefined>;
}

export async function nodeDigests(t: Transport, node: string, paths: readonly string[], keyPath = DIGEST_KEY): Promise<NodeDigests> {
  const r = await t.exec(node, ['sh', '-c', DIGEST_SCRIPT, 'hactl-digest', keyPath, ...paths]);
  if (r.exitCode !== 0) throw remoteFailure('HA5580', { node, key: keyPath, detail: r.stderr.trim().split('\n').slice(-2).join(' ') || `exit code ${r.exitCode}` });
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== paths.length + 1 || !/^[0-9a-f]{64}$/.test(lines[0]!)) throw new RemoteCommandError(node, `computing file digests (unexpected answer: ${lines.length} lines for ${paths.length} files)`, r);
  const files = new Map<string, string | undefined>();
  paths.forEach((p, i) => {
    const d = lines[i + 1]!;
    if (d !== '-' && !/^[0-9a-f]{64}$/.test(d)) throw new RemoteCommandError(node, `computing file digests (unexpected answer for ${p})`, r);
    files.set(p, d === '-' ? undefined : d);
  });
  return { key: Buffer.from(lines[0]!, 'hex'), files };
}

/** Canonical JSON: object keys in codepoint order, so equal data gives equal bytes. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as Record<string, unknown>)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * What the topology asks for, without secret values: every file with its references as labels,
 * the boot units and the compiled CIBs. A plan made from another topology (or another hactl that
 * compiles it differently) has another digest.
 */
export function topologyDigest(desired: Desired): string {
  const files = desired.files.map((f) => ({ node: f.node, path: f.path, owner: f.owner, group: f.group, mode: f.mode, install: f.install, display: f.display ?? null, secrets: f.secrets, onChange: f.onChange }));
  const cibs = [...desired.cibs].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([c, x]) => [c, serializeXml(x)]);
  return sha256(canonical({ files, units: desired.units ?? [], cibs }));
}

export interface SavedFile {
  node: string;
  path: string;
  change: 'create' | 'update' | 'unchanged';
  /** Keyed digest of the node's file when the plan was made; null: none there. */
  was: string | null;
  /** Keyed digest of the content the file has after apply (for an unchanged file: `was`). */
  write: string | null;
  /** The secrets the file holds, by name (references only). */
  secrets: string[];
}

export interface SavedCluster {
  cluster: string;
  node: string;
  admin_epoch: string;
  epoch: string;
  /** sha256 of the configuration section as read. */
  configuration: string;
}

export interface SavedPlan {
  $schema: string;
  format: number;
  hactl: string;
  topology: { name: string; file: string; digest: string };
  nodes: string[];
  adopt: boolean;
  keys: { node: string; id: string }[];
  clusters: SavedCluster[];
  files: SavedFile[];
  /** What the plan shows (as in `apply --json`, the CIB's version without num_updates). */
  plan: Record<string, unknown>;
  disruptions: ReturnType<typeof disruptionsOf>;
}

export interface SaveRequest {
  plan: Plan;
  payload: Payload;
  desired: Desired;
  transport: Transport;
  concurrency: number;
  hactlVersion: string;
  /** The topology file, as apply --plan should find it again (absolute). */
  topologyFile: string;
  adopt: boolean;
  keyPath?: string;
}

/** The plan as a document to save (or to compare with a saved one). Reads the nodes' digests. */
export async function savedPlanOf(req: SaveRequest): Promise<SavedPlan> {
  const { plan, payload } = req;
  const perNode = await runBounded(plan.nodes, req.concurrency, async (node) => {
    const paths = plan.files.filter((f) => f.node === node).map((f) => f.path);
    return nodeDigests(req.transport, node, paths, req.keyPath);
  });
  const failed = perNode.find((r) => r.status !== 'ok');
  if (failed) throw failed.status === 'failed' ? failed.error : new Error('digests were not read from every node');
  const digests = new Map(plan.nodes.map((n, i) => [n, (perNode[i] as { value: NodeDigests }).value]));
  const secretsOf = new Map(req.desired.files.map((f) => [fileKey(f.node, f.path), f.secrets]));
  const files: SavedFile[] = plan.files.map((f) => {
    const d = digests.get(f.node)!;
    const was = d.files.get(f.path) ?? null;
    const content = payload.content.get(fileKey(f.node, f.path));
    // An unchanged file's content is the node's own.
    const write = content ? keyedDigest(d.key, content) : was;
    return { node: f.node, path: f.path, change: f.change, was, write, secrets: secretsOf.get(fileKey(f.node, f.path)) ?? [] };
  });
  const clusters: SavedCluster[] = plan.cib.map((c) => {
    const live = payload.cib.get(c.cluster)?.live;
    const conf = live ? configurationOf(live) : undefined;
    return { cluster: c.cluster, node: c.node, admin_epoch: c.base.admin_epoch, epoch: c.base.epoch, configuration: sha256(conf ? serializeXml(conf) : '') };
  });
  const shown = applyJson(plan, undefined, 'planned') as { plan: Record<string, unknown> };
  // num_updates moves with every status update; the configuration is what the plan stands on.
  const cib = (shown.plan.cib as { base: string }[]).map((c, i) => ({ ...c, base: `${plan.cib[i]!.base.admin_epoch}.${plan.cib[i]!.base.epoch}` }));
  return {
    $schema: PLAN_SCHEMA_ID,
    format: PLAN_FORMAT,
    hactl: req.hactlVersion,
    topology: { name: plan.topology, file: req.topologyFile, digest: topologyDigest(req.desired) },
    nodes: plan.nodes,
    adopt: req.adopt,
    keys: plan.nodes.map((node) => ({ node, id: keyId(digests.get(node)!.key) })),
    clusters,
    files,
    plan: { ...shown.plan, cib },
    disruptions: disruptionsOf(plan),
  };
}

/** A saved plan from its text: JSON, of the schema (HA5571, exit 2 otherwise). */
export function parseSavedPlan(text: string, file: string): SavedPlan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalidInput('HA5571', { file, detail: `not JSON (${(e as Error).message})` });
  }
  if (!validatePlanSchema(doc)) {
    const e = validatePlanSchema.errors?.[0];
    throw invalidInput('HA5571', { file, detail: e ? `${e.instancePath || '/'} ${e.message ?? e.keyword}` : 'does not match the plan schema' });
  }
  return doc as SavedPlan;
}

/** A saved plan this hactl can carry out at all (format and version); exit 2 otherwise. */
export function checkPlanOrigin(saved: SavedPlan, hactlVersion: string): void {
  if (saved.format !== PLAN_FORMAT || saved.hactl !== hactlVersion) {
    throw invalidInput('HA5572', { format: String(saved.format), version: saved.hactl, ourFormat: String(PLAN_FORMAT), ourVersion: hactlVersion });
  }
}

/** The topology (and the hactl compiling it) is the one the plan was made from; exit 2 otherwise. */
export function checkPlanTopology(saved: SavedPlan, desired: Desired, file: string): void {
  if (saved.topology.digest !== topologyDigest(desired)) throw invalidInput('HA5573', { file, name: saved.topology.name });
}

/**
 * Compares a saved plan with the same plan made now. The first difference refuses the plan: the
 * cluster or a node is not in the state the plan was made against (exit 3), or what apply would
 * write differs (a secret changed since: exit 2).
 */
export function comparePlans(saved: SavedPlan, now: SavedPlan): void {
  for (const k of saved.keys) {
    const n = now.keys.find((x) => x.node === k.node);
    if (!n || n.id !== k.id) throw remoteFailure('HA5578', { node: k.node, key: DIGEST_KEY });
  }
  for (const c of saved.clusters) {
    const n = now.clusters.find((x) => x.cluster === c.cluster);
    if (!n) throw remoteFailure('HA5579', { what: `the CIB of cluster ${c.cluster} was not read` });
    if (n.admin_epoch !== c.admin_epoch || n.epoch !== c.epoch || n.configuration !== c.configuration) {
      const was = `${c.admin_epoch}.${c.epoch}`;
      const is = `${n.admin_epoch}.${n.epoch}`;
      throw remoteFailure('HA5575', { cluster: c.cluster, was, now: was === is ? `${is} with another configuration` : is });
    }
  }
  const nowFiles = new Map(now.files.map((f) => [fileKey(f.node, f.path), f]));
  for (const f of saved.files) {
    const n = nowFiles.get(fileKey(f.node, f.path));
    if (!n) throw invalidInput('HA5573', { file: now.topology.file, name: saved.topology.name });
    if (n.was !== f.was) {
      const how = f.was === null ? 'was absent and exists now' : n.was === null ? 'is gone' : 'has other content';
      throw remoteFailure('HA5576', { node: f.node, path: f.path, how });
    }
    if (n.write !== f.write) throw invalidInput('HA5577', { node: f.node, path: f.path, secrets: f.secrets.length ? f.secrets.join(', ') : 'none' });
  }
  for (const section of Object.keys(saved.plan).sort()) {
    if (canonical(saved.plan[section]) !== canonical(now.plan[section])) throw remoteFailure('HA5579', { what: `its ${section} differ${section.endsWith('s') ? '' : 's'} from the saved plan's` });
  }
  if (canonical(saved.disruptions) !== canonical(now.disruptions)) throw remoteFailure('HA5579', { what: 'the disruption differs from the saved plan' });
}
