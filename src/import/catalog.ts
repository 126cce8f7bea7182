/**
 * Which typed custom services `hactl import` writes as the catalogue service they are. A
 * catalogue service brings more than its CIB objects: node files (haproxy.cfg, memcached.conf,
 * galera.cnf...) that apply writes, and the release family it belongs to. Typed as one when it is
 * not exactly what runs, the first apply after the import would write files the cluster never had
 * or change its resources. So a service is typed as a catalogue service only when both are proven:
 *
 * - its CIB objects: the topology with the service typed so is compiled and diffed against the CIB
 *   it was imported from, and nothing may differ that did not differ before (ids kept: a catalogue
 *   service takes no `cib:`, so its ids are the catalogue's or it is no match). The constraints it
 *   derives that the CIB holds leave raw_cib, and the same diff proves them equal;
 * - its node files: every file the compiled topology writes or writes otherwise with the service
 *   typed so must be known to hold those very bytes on its node (read over SSH or from a saved
 *   tree, see NodeFiles), or the service writes none. Files that refer to a secret, and whole-file
 *   secrets, are never read: a service with one stays custom. Likewise every boot-time unit apply
 *   would leave otherwise (masked, disabled) must already be so on its node (read over SSH with
 *   the script apply reads it with; a saved tree tells none).
 *
 * A service of a release family other than the default one (the current profile's haproxy,
 * galera, memcached) needs `openstack.release`, which no CIB records: it is matched only when the
 * operator names the release (--release). Whatever is not proven stays the custom service it was,
 * with a comment saying which object or file differed, so the operator knows how to adopt it.
 */
import { DEFAULT_FAMILY, FAMILIES, pick, SERVICES, type Family, type ServiceEntry } from '../catalog/index.js';
import { toCib } from '../compile/cib/index.js';
import { compile } from '../compile/index.js';
import { bootUnitsOf, type BootUnitState } from '../compile/files/boot-units.js';
import { declaredNodeTokens, diffCibs, ownedIdsOf, type Ownership } from '../diff/index.js';
import { loadTopology } from '../load.js';
import { normMode } from '../remote/files.js';
import { compareStrings } from '../util/compare.js';
import { familyOfRelease, RELEASE_ALIASES, RELEASES, type ReleaseName } from '../vocabulary.js';
import type { XmlElement } from '../xml/tree.js';
import type { TypedService } from './typed.js';

/** What the nodes hold, as import was given it: read over SSH, or a saved tree. */
export interface NodeFiles {
  /** Where the files came from, for the comments ("the nodes over SSH", "the tree DIR"). */
  source: string;
  /** The bytes of `path` on `node`; null when the node has no such regular file; undefined when not read. */
  read(node: string, path: string): Uint8Array | null | undefined;
  /**
   * Whether `unit` on `node` already starts at boot as apply would leave it (`want`: apply takes
   * no step), or undefined when its state was not read (a saved tree holds none).
   */
  unitAs?(node: string, unit: string, want: BootUnitState): boolean | undefined;
  /** Owner, group and mode (four octal digits) of a file `read` returned, where known (a saved tree's are the copy's). */
  meta?(node: string, path: string): { owner: string; group: string; mode: string } | undefined;
}

/** Whether `name` is a release `openstack.release` accepts (a number or a code name). */
export function isReleaseName(name: string): name is ReleaseName {
  return Object.hasOwn(RELEASES, name) || Object.hasOwn(RELEASE_ALIASES, name);
}

/** The releases of a family, as an operator would pass them to --release. */
function releasesOf(family: Family): string[] {
  return Object.entries(RELEASES)
    .filter(([, f]) => f === family)
    .map(([r]) => r);
}

/**
 * The catalogue entries a typed service could be: one process (a group of processes, or of a
 * process with its RBD storage, is typed as a group of custom members, which no catalogue entry
 * is), the same agent in some family, a mode the entry allows.
 */
function candidates(s: TypedService): { entry: ServiceEntry; family: Family }[] {
  if (s.group || s.bundle || s.agent === undefined) return [];
  const out: { entry: ServiceEntry; family: Family }[] = [];
  for (const entry of SERVICES) {
    if (entry.processes.length !== 1 || !entry.modes.includes(s.mode)) continue;
    for (const family of entry.families ?? FAMILIES) {
      if (pick(entry.processes[0]!.agent, family) === s.agent) out.push({ entry, family });
    }
  }
  return out;
}

/** The adopted ownership the round trip compares with: every compiled id recorded, no intent. */
function adopted(compiled: XmlElement): Ownership {
  return { name: 'adopted', recorded: new Set(ownedIdsOf(compiled)), nodePairs: new Set(declaredNodeTokens(compiled)), intent: new Map(), ownsExtra: () => true };
}

interface CompiledFile {
  content: string;
  secrets: string[];
  install: 'file' | 'block' | 'assignments';
  owner: string;
  group: string;
  mode: string;
}

/** What a topology text compiles to, as far as the proofs compare it. */
interface Measure {
  /** Managed differences from the CIB, by kind, section, element and id. */
  changes: Map<string, string>;
  /** Node files by `node path`. */
  files: Map<string, CompiledFile>;
  /** Whole-file secrets by `node path`, with the secret. */
  secretFiles: Map<string, string>;
  /** Ids of the constraints the services derive. */
  derived: Set<string>;
  /** How apply leaves each boot-time unit, by `node unit`. */
  units: Map<string, BootUnitState>;
}

function measure(text: string, cib: XmlElement): Measure | { error: string; derived: Set<string> } {
  const loaded = loadTopology(text, 'imported');
  const model = loaded.model;
  const cluster = model?.clusters[0];
  const derived = new Set(cluster?.constraints.map((c) => c.id) ?? []);
  if (!loaded.ok || !model || !cluster) {
    const e = loaded.diagnostics.find((d) => d.severity === 'error');
    return { error: e ? `${e.code} ${e.message}` : 'it does not load', derived };
  }
  const compiled = toCib(cluster);
  const d = diffCibs(compiled, cib, adopted(compiled));
  if (!d.ok) return { error: d.message, derived };
  const changes = new Map<string, string>();
  for (const c of d.diff.changes) if (c.managed) changes.set(`${c.kind} ${c.section} ${c.tag} ${c.id}`, `${c.tag} ${c.id} (${c.kind === 'added' ? 'which the cluster has and the topology would not' : c.kind === 'removed' ? 'which the cluster does not have' : 'other than the cluster has it'})`);
  const files = new Map<string, CompiledFile>();
  for (const a of compile(model, ['files'])) if (a.node) files.set(`${a.node.node} ${a.node.target}`, { content: a.content, secrets: a.node.secrets, install: a.node.install ?? 'file', owner: a.node.owner, group: a.node.group, mode: normMode(a.node.mode) });
  const secretFiles = new Map<string, string>();
  for (const [node, plan] of model.nodes) for (const f of plan.secretFiles) secretFiles.set(`${node} ${f.target}`, f.secret);
  const units = new Map(bootUnitsOf(model).map((u) => [`${u.node} ${u.unit}`, u.state] as const));
  return { changes, files, secretFiles, derived, units };
}

export interface CatalogueMatch {
  /** The typed custom services, in the order they are written. */
  services: TypedService[];
  /** The topology text as things stand: each service with `catalogue` set written as that catalogue service. */
  assemble(): string;
  /** Ids of constraints a catalogue service derives: assemble leaves them out of raw_cib. */
  derived: Set<string>;
  /** The CIB the topology is imported from. */
  cib: XmlElement;
  /** --release: the topology's openstack.release, and the family whose entries are tried. */
  release?: ReleaseName;
  files?: NodeFiles;
}

const utf8 = new TextEncoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Why the files the topology writes with a service typed as a catalogue service are not known to
 * be what the nodes hold, or undefined when they are (or it writes none beyond `before`'s).
 */
function filesDiffer(before: Measure, after: Measure, files: NodeFiles | undefined): string | undefined {
  const split = (key: string) => [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)] as const;
  for (const key of [...before.files.keys()].sort(compareStrings)) if (!after.files.has(key)) return `it would no longer write ${split(key)[1]}`;
  for (const [key, secret] of [...after.secretFiles].sort((a, b) => compareStrings(a[0], b[0]))) {
    if (before.secretFiles.get(key) !== secret) return `it installs ${split(key)[1]} on ${split(key)[0]} from the secret ${secret}: import does not read secrets from the nodes`;
  }
  const written = [...after.files].filter(([key, f]) => before.files.get(key)?.content !== f.content).sort((a, b) => compareStrings(a[0], b[0]));
  for (const [key, f] of written) {
    const [node, path] = split(key);
    if (f.secrets.length) return `it writes ${path}, which holds the secret ${f.secrets.join(', ')}: import does not read secrets from the nodes`;
    if (f.install === 'block') return `it writes a block into ${path} of ${node}, which import does not compare`;
  }
  // A unit apply would leave otherwise (Galera's mariadb masked, where a custom galera leaves it
  // alone) must already be so: apply's first run would change the node otherwise.
  const units = [...after.units].filter(([key, want]) => before.units.get(key) !== want).sort((a, b) => compareStrings(a[0], b[0]));
  if (units.length && !files?.unitAs) return `apply would leave the unit ${split(units[0]![0])[1]} ${units[0]![1]} on ${split(units[0]![0])[0]}, whose boot-time state import did not read (import --node/--cluster reads it)`;
  const unitsAs = units.map(([key, want]) => files!.unitAs!(...split(key), want));
  if (written.length && !files) return `it writes ${split(written[0]![0])[1]} on ${split(written[0]![0])[0]}, which import did not read (import --node/--cluster reads the nodes' files, --files DIR a saved copy)`;
  // Every file and unit is asked for before any is judged: a live import's pass learns from these
  // calls what to read (catalog-ssh.ts recorder).
  const held = written.map(([key]) => files!.read(...split(key)));
  for (const [i, [key, want]] of units.entries()) {
    const [node, unit] = split(key);
    if (unitsAs[i] === undefined) return `apply would leave the unit ${unit} ${want} on ${node}, whose boot-time state ${files!.source} did not tell`;
    if (!unitsAs[i]) return `apply would change the unit ${unit} on ${node} to ${want} (${files!.source})`;
  }
  for (const [i, [key, f]] of written.entries()) {
    const [node, path] = split(key);
    const h = held[i];
    if (h === undefined) return `it writes ${path} on ${node}, which ${files!.source} did not hold readable`;
    if (h === null) return `it writes ${path} on ${node}, which ${node} does not have (${files!.source})`;
    if (!sameBytes(h, utf8.encode(f.content))) return `${path} on ${node} differs from the one it writes (${files!.source})`;
    // apply sets owner, group and mode too: a first apply must find them as it leaves them.
    const m = files!.meta?.(node, path);
    if (m && (m.owner !== f.owner || m.group !== f.group || m.mode !== f.mode)) return `${path} on ${node} is ${m.owner}:${m.group} ${m.mode}, where apply makes it ${f.owner}:${f.group} ${f.mode} (${files!.source})`;
  }
  return undefined;
}

/**
 * Types as catalogue services the services whose CIB objects and node files are proven to be the
 * catalogue's (module comment); sets `catalogue` on those, `catalogueNote` on the others that an
 * entry's agent names, saying what differed.
 */
export function matchCatalogue(m: CatalogueMatch): void {
  const family = m.release !== undefined ? familyOfRelease(m.release) : DEFAULT_FAMILY;
  let base: Measure | undefined;
  const open: { s: TypedService; here: { entry: ServiceEntry; family: Family }[] }[] = [];
  for (const s of m.services) {
    const all = candidates(s);
    if (!all.length) continue;
    const here = all.filter((c) => c.family === family);
    if (here.length) open.push({ s, here });
    else {
      const other = all[0]!;
      s.catalogueNote = `runs ${s.agent}, the agent of the catalogue service ${pick(other.entry.name, other.family)} of releases ${releasesOf(other.family).join(', ')}: import tries that service only with --release RELEASE (no CIB records the release)`;
    }
  }
  // Rounds until none is typed: one service's files can depend on another being the catalogue's
  // (HAProxy listens for Galera only when Galera is the catalogue's), whatever their order.
  for (let typed = true; typed && open.length; ) {
    typed = false;
    for (const o of [...open]) {
      if (!base) {
        const b = measure(m.assemble(), m.cib);
        // A topology that does not compile as imported proves nothing.
        if ('error' in b) return;
        base = b;
      }
      const notes: string[] = [];
      for (const { entry } of o.here) {
        const name = pick(entry.name, family);
        const after = attempt(m, o.s, entry, name, base);
        if (typeof after === 'string') notes.push(`not the catalogue service ${name}: ${after}`);
        else {
          base = after;
          break;
        }
      }
      if (o.s.catalogue !== undefined) {
        delete o.s.catalogueNote;
        open.splice(open.indexOf(o), 1);
        typed = true;
      } else o.s.catalogueNote = notes.join('; ');
    }
  }
}

/** Types `s` as `entry` if proven; the new measure, or why not (and `s` as it was). */
function attempt(m: CatalogueMatch, s: TypedService, entry: ServiceEntry, name: string, base: Measure): Measure | string {
  if (name !== s.name) return `it is named ${s.name} here (from its id ${s.id}), the catalogue service ${name}`;
  if ([...s.params.values()].some((v) => typeof v !== 'string')) return 'it has a secret parameter, which the catalogue service does not take';
  // apply makes the broker's account with rabbitmqctl: whether it exists, with that password, is
  // nothing import reads.
  if (entry.brokerAccount) return `apply would make RabbitMQ user ${entry.brokerAccount.user} on the broker, which import does not read`;
  s.catalogue = entry.key;
  const added: string[] = [];
  const undo = (why: string): string => {
    delete s.catalogue;
    for (const id of added) m.derived.delete(id);
    return why;
  };
  // The constraints the catalogue service derives and the CIB holds leave raw_cib: the diff then
  // proves them equal to the running ones.
  const first = measure(m.assemble(), m.cib);
  const liveConstraints = constraintIds(m.cib);
  for (const id of first.derived) {
    if (!liveConstraints.has(id) || m.derived.has(id)) continue;
    m.derived.add(id);
    added.push(id);
  }
  const after = added.length ? measure(m.assemble(), m.cib) : first;
  if ('error' in after) return undo(`typed so, the topology would not validate: ${after.error}`);
  const fresh = [...after.changes].filter(([k]) => !base.changes.has(k)).map(([, v]) => v);
  if (fresh.length) return undo(`typed so, it would compile ${fresh.slice(0, 3).join(', ')}${fresh.length > 3 ? ` and ${fresh.length - 3} more` : ''}`);
  const files = filesDiffer(base, after, m.files);
  if (files) return undo(files);
  return after;
}

function constraintIds(cib: XmlElement): Set<string> {
  const conf = cib.name === 'cib' ? cib.children.find((c) => c.name === 'configuration') : cib;
  const section = conf?.children.find((c) => c.name === 'constraints');
  return new Set((section?.children ?? []).flatMap((c) => (c.attrs.id !== undefined ? [c.attrs.id] : [])));
}
