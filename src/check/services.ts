/**
 * Service-level HA semantics: the needs the catalogue states for each service (catalog/ha-needs.ts)
 * checked against what compile writes, the CIB model and the node files, not against the
 * topology's intent. Pacemaker's scheduler cannot see these: a failover it completes may still
 * leave the service broken (routers on a dead agent, a broker without its users, a monitor that
 * never succeeds). Each broken need is a finding at the service's topology path with the fix, and
 * the services whose failover does not restore them are returned for the availability estimate.
 */
import { HA_NEEDS, PASTE_AUTH_OPTIONS, type IniOption } from '../catalog/ha-needs.js';
import { DEFAULT_FAMILY, pick, type Family } from '../catalog/index.js';
import { capacityFindings } from './capacity.js';
import { clusteredFindings } from './clustered.js';
import { emitNodeFiles, nodeFilePath } from '../compile/files/index.js';
import { bootUnitsOf, type BootUnit } from '../compile/files/boot-units.js';
import type { Manifest, ManifestSecretFile } from '../compile/files/manifest.js';
import { agentOf, paramOf, primitivesOf, type ClusterConfig } from '../compile/pacemaker/model.js';
import { diag, type Diagnostic } from '../diagnostics.js';
import type { Lowered } from '../lower/index.js';
import type { Cluster, Service } from '../model/types.js';
import { compareStrings } from '../util/compare.js';

/**
 * What the service checks read: the CIB model of each cluster, every node file by artifact path,
 * the boot-time units the manifest has apply disable or mask, and the files it installs from
 * secrets (by node and path; never their content).
 */
export interface CompiledOutput {
  configs: ClusterConfig[];
  files: Map<string, string>;
  units: BootUnit[];
  secretFiles: ManifestSecretFile[];
}

export function compiledOutput(model: Lowered): CompiledOutput {
  const files = new Map<string, string>();
  let manifest: Pick<Manifest, 'units' | 'secretFiles'> = { units: [], secretFiles: [] };
  for (const a of emitNodeFiles(model)) {
    if (a.node) files.set(a.path, a.content);
    else if (a.path === 'manifest.json') manifest = JSON.parse(a.content) as Manifest;
  }
  return { configs: model.clusters, files, units: manifest.units, secretFiles: manifest.secretFiles };
}

/** A service a failover does not restore, and why (for the availability estimate). */
export interface BrokenService {
  cluster: string;
  service: string;
  why: string;
  /** It never runs at all (not only after a failover). */
  never?: boolean;
}

export interface ServiceCheck {
  findings: Diagnostic[];
  broken: BrokenService[];
}

/** option -> value per section of an INI file (last value wins, as oslo.config reads it). */
export function readIni(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let section = out.get('DEFAULT') ?? new Map<string, string>();
  out.set('DEFAULT', section);
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      section = out.get(head[1]!) ?? new Map<string, string>();
      out.set(head[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) section.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

export function checkServices(model: Lowered, out: CompiledOutput = compiledOutput(model)): ServiceCheck {
  const t = model.topology;
  const family: Family = t.family ?? DEFAULT_FAMILY;
  const findings: Diagnostic[] = [];
  const broken: BrokenService[] = [];
  const fail = (c: Cluster, s: Service, d: Diagnostic, why: string, never = false): void => {
    findings.push(d);
    broken.push({ cluster: c.name, service: s.name, why, ...(never ? { never } : {}) });
  };
  const option = (node: string, o: IniOption): string | undefined => {
    const text = out.files.get(nodeFilePath(node, pick(o.file, family)));
    return text === undefined ? undefined : readIni(text).get(o.section)?.get(o.option);
  };
  const managedImages = new Set<string>();
  for (const config of out.configs) {
    for (const p of config.resources.flatMap(primitivesOf)) if (agentOf(p) === 'ocf:ceph:rbd') managedImages.add(`${paramOf(p, 'pool')}/${paramOf(p, 'name')}`);
  }

  for (const c of Object.values(t.clusters)) {
    const config = out.configs.find((x) => x.name === c.name);
    const prims = config ? config.resources.flatMap(primitivesOf) : [];
    for (const s of Object.values(c.services)) {
      const needs = s.entry ? HA_NEEDS[s.entry.key] : undefined;
      if (!needs) continue;
      const nodes = [...s.nodes].sort();

      if (needs.monitorPort) {
        const m = needs.monitorPort;
        const id = `p_${pick(m.process, family)}`;
        const p = prims.find((x) => x.id === id);
        const name = pick(m.param, family);
        const value = p ? (paramOf(p, name) ?? m.default) : m.opens;
        if (value !== m.opens) {
          fail(c, s, diag('HA6050', s.pointer, { resource: id, param: name, value, opens: m.opens, why: m.why }), `its monitor never succeeds (${name}=${value}), so it never starts`, true);
        }
      }

      if (needs.hostIdentity && nodes.length > 1) {
        const h = needs.hostIdentity;
        const values = nodes.map((n) => ({ n, v: option(n, h) }));
        const missing = values.filter((x) => x.v === undefined).map((x) => x.n);
        const distinct = [...new Set(values.map((x) => x.v).filter((v) => v !== undefined))];
        if (missing.length || distinct.length > 1) {
          const file = pick(h.file, family);
          const seen = values.map((x) => `${x.n}: ${x.v ?? 'unset (its hostname)'}`).join(', ');
          fail(c, s, diag('HA6051', s.pointer, { service: s.name, option: `${h.option} (${file} [${h.section}])`, seen, why: h.why, fix: pick(h.fix, family) }), `a failover changes its ${h.option}, and ${h.why}`);
        }
      }

      if (needs.agentsPerNetwork && s.mode === 'active-active' && nodes.length > 1) {
        const a = needs.agentsPerNetwork;
        const server = Object.values(t.clusters).flatMap((x) => Object.values(x.services)).find((x) => x.entry?.key === a.server);
        for (const n of server ? [...server.nodes].sort() : []) {
          const v = option(n, a);
          const count = v === undefined ? 1 : Number(v);
          if (!(count >= nodes.length)) {
            fail(c, s, diag('HA6052', s.pointer, { service: s.name, option: a.option, file: pick(a.file, family), node: n, value: v ?? 'unset (1)', count: nodes.length }), `each network is served by ${count} of its ${nodes.length} agents`);
            break;
          }
        }
      }

      if (needs.logsIn) {
        for (const f of needs.logsIn.map((x) => pick(x, family))) {
          const silent = nodes.filter((n) => {
            const text = out.files.get(nodeFilePath(n, f));
            if (text === undefined) return false;
            const d = readIni(text).get('DEFAULT');
            return !d?.get('log_dir') && !d?.get('log_file') && !/^true$/i.test(d?.get('use_syslog') ?? '');
          });
          if (silent.length) findings.push(diag('HA6058', s.pointer, { service: s.name, file: f, nodes: silent.join(', ') }));
        }
      }

      for (const o of needs.persistentState ? pick(needs.persistentState, family) : []) {
        const wrong = nodes.filter((n) => (option(n, o) ?? o.default) !== o.value);
        if (!wrong.length) continue;
        const file = pick(o.file, family);
        fail(c, s, diag('HA6059', s.pointer, { service: s.name, what: o.what, file, section: o.section, option: o.option, value: o.value, nodes: wrong.join(', ') }), `a restart or failover loses its ${o.what.split(' (')[0]}`);
      }

      const signing = needs.sharedSigning ? pick(needs.sharedSigning, family) : null;
      if (signing && nodes.length > 1) {
        const signs = (n: string) => signing.signs.includes(signing.format.map((o) => option(n, o)).find((v) => v !== undefined) ?? signing.default);
        for (const f of signing.files) {
          // node -> the secret installed at the path the node's file names, if any
          const held = nodes.filter(signs).map((n) => {
            const path = option(n, f) ?? f.default;
            return { n, path, secret: out.secretFiles.find((x) => x.node === n && x.path === path)?.secret };
          });
          const missing = held.filter((x) => x.secret === undefined);
          const secrets = [...new Set(held.map((x) => x.secret).filter((x) => x !== undefined))];
          if (!missing.length && secrets.length <= 1) continue;
          const file = pick(f.file, family);
          const seen = held.map((x) => `${x.n}: ${x.path} ${x.secret === undefined ? 'made on the node' : `from secret ${x.secret}`}`).join(', ');
          fail(c, s, diag('HA6140', s.pointer, { service: s.name, what: f.what, file, section: f.section, option: f.option, seen }), `tokens signed on one node fail validation after a failover (its ${f.what} differs)`);
        }
      }

      for (const f of needs.pasteAuthtoken ? pick(needs.pasteAuthtoken, family) : []) {
        // Without the file the node keeps the packaged one (auth_host = 127.0.0.1, placeholder
        // credentials); with Keystone options in its filter they override hactl's.
        const missing = nodes.filter((n) => !out.files.has(nodeFilePath(n, f)));
        const set = new Map<string, string[]>();
        for (const n of nodes) {
          const text = out.files.get(nodeFilePath(n, f));
          const filter = text === undefined ? undefined : readIni(text).get('filter:authtoken');
          const opts = PASTE_AUTH_OPTIONS.filter((o) => filter?.has(o));
          if (opts.length) set.set(n, opts);
        }
        if (missing.length) {
          fail(c, s, diag('HA6142', s.pointer, { service: s.name, file: f, nodes: missing.join(', '), what: 'is not compiled (the package\'s stays)', how: 'with the package\'s auth_host and placeholder credentials' }), `its API rejects every token (${f} is the package's)`, true);
        }
        if (set.size) {
          const opts = [...new Set([...set.values()].flat())].join(', ');
          fail(c, s, diag('HA6142', s.pointer, { service: s.name, file: f, nodes: [...set.keys()].join(', '), what: `sets ${opts} in [filter:authtoken]`, how: 'with those values, not the ones of [keystone_authtoken]' }), `its API validates tokens with ${f}'s ${opts}`);
        }
      }

      if (needs.sharedState) {
        const st = needs.sharedState;
        const shared = sharedMounts(config, s);
        if (!shared.some((m) => st.path === m || st.path.startsWith(`${m}/`))) {
          fail(c, s, diag('HA6053', s.pointer, { service: s.name, path: st.path, what: st.what }), `${st.what} stays on the failed node`);
        }
      }
    }
    // Pacemaker-managed images listed in a node's rbdmap are mapped at boot by rbdmap.service.
    for (const n of [...c.nodes].sort()) {
      const text = out.files.get(nodeFilePath(n, '/etc/ceph/rbdmap'));
      if (text === undefined) continue;
      for (const line of text.split('\n')) {
        const image = line.trim().split(/\s+/)[0];
        if (!image || image.startsWith('#') || !managedImages.has(image)) continue;
        const owner = Object.values(c.services).find((s) => s.storage && `${s.storage.pool}/${s.storage.image}` === image);
        findings.push(diag('HA6054', owner?.storage?.pointer ?? c.pointer, { image, node: n }));
      }
    }
    const clustered = clusteredFindings(t, c, config, out);
    findings.push(...clustered.findings, ...capacityFindings(t, c));
    broken.push(...clustered.broken);
  }
  // A network file among the compiled ones must carry every address of its node: ifup of a bond
  // or bridge that enslaves the port holding an address, with no address of its own, cuts the
  // node off (HA review M11; hactl writes none, so this finds one planted or added back).
  for (const n of Object.keys(t.nodes).sort(compareStrings)) {
    const prefix = nodeFilePath(n, '/etc/network/interfaces');
    const files = [...out.files].filter(([p]) => p === prefix || p.startsWith(`${prefix}.d/`)).sort((a, b) => compareStrings(a[0], b[0]));
    if (!files.length) continue;
    const assigned = new Set(files.flatMap(([, text]) => [...text.matchAll(/^\s*address\s+([0-9A-Fa-f.:]+)/gm)].map((m) => m[1]!)));
    const missing = Object.entries(t.nodes[n]?.addresses ?? {}).filter(([, a]) => !assigned.has(a)).map(([net, a]) => `${a} (${net})`);
    if (missing.length) findings.push(diag('HA6141', t.nodes[n]!.pointer, { node: n, files: files.map(([p]) => p.slice(`nodes/${n}`.length)).join(', '), missing: missing.join(', ') }));
  }
  // Units the packages start at boot that apply would leave as they are: missing from the
  // manifest, or there with a weaker state than the service needs. One finding per node set.
  const listed = new Map(out.units.map((u) => [`${u.node}\u0000${u.unit}`, u.state]));
  const left = new Map<string, { cluster: Cluster; units: string[] }>(); // node -> what is left
  for (const u of bootUnitsOf(model)) {
    if (u.state === 'enabled') continue; // sbd: the manifest always lists it, and HA6055 is about units left on
    const have = listed.get(`${u.node}\u0000${u.unit}`);
    if (have === u.state) continue;
    const c = Object.values(t.clusters).find((x) => x.nodes.includes(u.node));
    if (!c) continue;
    const e = left.get(u.node) ?? { cluster: c, units: [] };
    e.units.push(u.state === 'masked' ? `${u.unit} (mask)` : u.unit);
    left.set(u.node, e);
  }
  const bySet = new Map<string, { cluster: Cluster; nodes: string[] }>();
  for (const [n, e] of [...left].sort((a, b) => compareStrings(a[0], b[0]))) {
    const key = `${e.cluster.name}\u0000${e.units.sort(compareStrings).join(' ')}`;
    const set = bySet.get(key) ?? { cluster: e.cluster, nodes: [] };
    set.nodes.push(n);
    bySet.set(key, set);
  }
  for (const [key, { cluster, nodes }] of bySet) {
    const units = key.split('\u0000')[1]!;
    findings.push(diag('HA6055', cluster.pointer, { cluster: cluster.name, units, nodes: nodes.join(', '), manual: units.replace(/ \(mask\)/g, '') }));
  }
  return { findings, broken };
}


/** Directories the service's own compiled group mounts from shared storage (an RBD image). */
function sharedMounts(config: ClusterConfig | undefined, s: Service): string[] {
  if (!config) return [];
  const top = config.resources.find((r) => primitivesOf(r).some((p) => p.source === s.pointer));
  if (!top) return [];
  const prims = primitivesOf(top);
  if (!prims.some((p) => agentOf(p) === 'ocf:ceph:rbd')) return [];
  return prims.filter((p) => agentOf(p) === 'ocf:heartbeat:Filesystem').map((p) => paramOf(p, 'directory') ?? '').filter(Boolean);
}
