/**
 * What the nodes should hold, from a lowered topology: compile it in memory (the same artifacts
 * `hactl compile` writes), read its manifest, and turn every node file into bytes with its secret
 * references resolved. Secret values exist only in the returned buffers, in memory; everything
 * that is printed or kept in the plan carries hashes, names and masked text instead.
 */
import { createHash } from 'node:crypto';
import { compile } from '../compile/index.js';
import { CIB_SECRETS_DIR } from '../compile/files/cib-secrets.js';
import type { ChangeAction } from '../compile/artifact.js';
import type { Manifest } from '../compile/files/manifest.js';
import type { BootUnit } from '../compile/files/boot-units.js';
import { validateManifest } from '../compile/files/manifest.js';
import { SECRET_REF } from '../compile/files/templates.js';
import { secretFilePath, secretScriptPath } from '../compile/pacemaker/index.js';
import { toCib } from '../compile/cib/index.js';
import type { Lowered } from '../lower/index.js';
import { encodeSecret, isText, resolveSecrets, type SecretSource, type SecretStore } from '../secrets/index.js';
import type { XmlElement } from '../xml/tree.js';
import { shellQuote } from '../util/shell.js';
import type { BrokerRequest } from '../remote/broker.js';
import { processesOf } from '../model/resolve.js';
import { secretName } from '../compile/files/facts.js';
import { primitiveId } from '../compile/pacemaker/ids.js';
import { paramOf, primitivesOf } from '../compile/pacemaker/model.js';
import { compareStrings } from '../util/compare.js';

/** One file as it should be on one node. */
export interface DesiredFile {
  node: string;
  path: string;
  owner: string;
  group: string;
  mode: string;
  /** Whole file, or a '# BEGIN hactl' ... '# END hactl' block spliced into the node's file. */
  install: 'file' | 'block' | 'assignments';
  /** Content with secrets resolved (for a block: the block). Never printed. */
  content: Buffer;
  /**
   * Secrets of this file whose values this run does not have (a dry run without them): `content`
   * is then the display form, compared only where it holds no secret, and never written.
   */
  unavailable?: string[];
  /** The same content with each secret reference left as a label: what the plan may show. */
  display: string | undefined;
  secrets: string[];
  services: string[];
  onChange: ChangeAction;
}

/** A broker account apply makes on a broker that runs (catalogue `brokerAccount`). */
export interface DesiredBroker {
  cluster: string;
  service: string;
  /** The broker's primitive (located through the cluster at plan and apply time). */
  resource: string;
  request: BrokerRequest;
  /** The secret holding its password. */
  secret: string;
  /** The password, unless this run does not have it (a dry run without it). Never printed. */
  password?: string;
}

export interface Desired {
  files: DesiredFile[];
  /** Broker accounts to make (none when absent). */
  brokers?: DesiredBroker[];
  /** Distribution units to keep from starting at boot (the manifest's units), by node then unit; none when absent. */
  units?: BootUnit[];
  /** The compiled CIB of each cluster. */
  cibs: Map<string, XmlElement>;
  secrets: SecretStore;
}

export interface DesiredProblem {
  code: 'HA5501' | 'HA5502' | 'HA5521' | 'HA5522' | 'HA5540' | 'HA5541' | 'HA5581' | 'HA3040';
  pointer: string;
  args: Record<string, string>;
}

/** A value that can sit inside a line of a text file without changing its structure. */
function fitsInLine(v: Buffer): boolean {
  return isText(v) && !/[\r\n\t]/.test(v.toString('utf8'));
}

function refsOf(text: string): string[] {
  return [...text.matchAll(SECRET_REF)].map((m) => m[1]!);
}

/** Every attribute value of an XML tree (to find the secret paths a compiled CIB refers to). */
function values(el: XmlElement, out: Set<string>): Set<string> {
  for (const v of Object.values(el.attrs)) out.add(v);
  for (const c of el.children) values(c, out);
  return out;
}

/**
 * The longest CIB secret Pacemaker 2.1 reads whole: it takes the first line of the file through a
 * 255-byte fgets (254 bytes); later versions read more, but a cluster may run either.
 */
export const CIB_SECRET_MAX_BYTES = 254;

/**
 * Why a value cannot be a Pacemaker CIB secret, or undefined: Pacemaker reads one line, drops
 * trailing white space and checks the MD5 of what is left, so anything else would be read as
 * another value (or fail its checksum and stop the resource).
 */
export function cibSecretProblem(v: Buffer): string | undefined {
  if (!isText(v)) return 'it is not text';
  const text = v.toString('utf8');
  if (/[\x00-\x1f\x7f]/.test(text)) return 'it holds a line break or another control character';
  if (/^\s|\s$/.test(text)) return 'it begins or ends with a blank';
  if (v.length > CIB_SECRET_MAX_BYTES) return `it has ${v.length} bytes`;
  return undefined;
}

/** Where corosync reads its key; corosync 3 accepts 1024 to 4096 bits (128 to 512 bytes) and fails to start otherwise. */
export const AUTHKEY_PATH = '/etc/corosync/authkey';
export const AUTHKEY_MIN_BYTES = 128;
export const AUTHKEY_MAX_BYTES = 512;
/** The shortest text secret apply accepts (see the masking note where it is checked). */
export const SECRET_MIN_CHARS = 8;

export interface DesiredOptions {
  /**
   * A dry run: a secret that cannot be resolved is a warning (HA5581), and the files holding it
   * are planned without its value (DesiredFile.unavailable).
   */
  withoutMissingSecrets?: boolean;
}

export async function desiredState(model: Lowered, source: SecretSource, opts: DesiredOptions = {}): Promise<{ desired?: Desired; problems: DesiredProblem[]; warnings: DesiredProblem[] }> {
  const { topology } = model;
  const artifacts = compile(model, ['files']);
  const byPath = new Map(artifacts.map((a) => [a.path, a.content]));
  const manifestText = byPath.get('manifest.json');
  if (manifestText === undefined) throw new Error('the files target produced no manifest.json');
  const manifest = JSON.parse(manifestText) as Manifest;
  const invalid = validateManifest(manifest, 'manifest.json');
  if (invalid.length) throw new Error(`compiled manifest is invalid: ${invalid.map((d) => d.message).join('; ')}`);

  const cibs = new Map<string, XmlElement>();
  for (const c of model.clusters) cibs.set(c.name, toCib(c));

  // Secrets the CIB refers to by path: fence agents read a password from a root-only file or
  // script that apply installs on every member of the cluster.
  const cibSecretFiles: { cluster: string; secret: string; path: string; script: boolean }[] = [];
  for (const [cluster, cib] of cibs) {
    const vals = values(cib, new Set());
    for (const name of Object.keys(topology.secrets).sort()) {
      if (vals.has(secretFilePath(name))) cibSecretFiles.push({ cluster, secret: name, path: secretFilePath(name), script: false });
      if (vals.has(secretScriptPath(name))) cibSecretFiles.push({ cluster, secret: name, path: secretScriptPath(name), script: true });
    }
  }

  const brokers = brokersOf(model);
  const wanted = new Set<string>();
  for (const b of brokers) wanted.add(b.secret);
  for (const f of manifest.files) for (const s of f.secrets) wanted.add(s);
  for (const f of manifest.secretFiles) wanted.add(f.secret);
  for (const f of cibSecretFiles) wanted.add(f.secret);
  const { store, problems: secretProblems, outside } = await resolveSecrets(topology, wanted, source);
  const missing = opts.withoutMissingSecrets ? secretProblems.filter((p) => p.absent && topology.secrets[p.secret]) : [];
  const unavailable = new Set(missing.map((p) => p.secret));
  const problems: DesiredProblem[] = secretProblems.filter((p) => !unavailable.has(p.secret)).map((p) => ({ code: 'HA5501', pointer: p.pointer, args: { secret: p.secret, detail: p.detail } }));
  const warnings: DesiredProblem[] = outside.map((p) => ({ code: 'HA3040', pointer: p.pointer, args: { secret: p.secret, file: p.detail } }));
  for (const p of missing) warnings.push({ code: 'HA5581', pointer: p.pointer, args: { secret: p.secret, detail: p.detail } });
  // Every printed line is masked by value: a short text value would be found inside ordinary
  // words ("x" in "exit") and give itself away, so it is refused instead.
  for (const [name, v] of store.entries().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (isText(v) && [...v.toString('utf8')].length < SECRET_MIN_CHARS) {
      problems.push({ code: 'HA5522', pointer: topology.secrets[name]?.pointer ?? '/secrets', args: { secret: name, min: String(SECRET_MIN_CHARS) } });
    }
  }
  // A key corosync cannot read stops corosync on every member at once (the key changes by full
  // restart): refuse it here, before any node is contacted.
  const keys = new Set(manifest.secretFiles.filter((f) => f.path === AUTHKEY_PATH && store.has(f.secret)).map((f) => f.secret));
  for (const name of [...keys].sort()) {
    const n = store.get(name).length;
    if (n < AUTHKEY_MIN_BYTES || n > AUTHKEY_MAX_BYTES) {
      problems.push({ code: 'HA5521', pointer: topology.secrets[name]?.pointer ?? '/secrets', args: { secret: name, bytes: String(n), min: String(AUTHKEY_MIN_BYTES), max: String(AUTHKEY_MAX_BYTES) } });
    }
  }

  const files: DesiredFile[] = [];
  for (const f of manifest.files) {
    const text = byPath.get(f.source);
    if (text === undefined) throw new Error(`manifest lists ${f.source}, which compile did not produce`);
    let bad = false;
    const display = text.replace(SECRET_REF, (_m, name: string) => `<secret:${name}>`);
    const without = f.secrets.filter((s) => unavailable.has(s));
    const content = without.length ? display : text.replace(SECRET_REF, (_m, name: string, encs: string) => {
      if (!store.has(name)) {
        bad = true;
        return '';
      }
      const v = store.get(name);
      if (!fitsInLine(v)) {
        problems.push({ code: 'HA5502', pointer: topology.secrets[name]?.pointer ?? '/secrets', args: { secret: name, node: f.node, path: f.path } });
        bad = true;
        return '';
      }
      return encodeSecret(v.toString('utf8'), encs.split('|').filter(Boolean));
    });
    if (bad) continue;
    const undeclared = refsOf(text).filter((s) => !f.secrets.includes(s));
    if (undeclared.length) throw new Error(`${f.source} refers to secrets its manifest entry does not list: ${undeclared.join(', ')}`);
    files.push({
      node: f.node,
      path: f.path,
      owner: f.owner,
      group: f.group,
      mode: f.mode,
      install: f.install,
      content: Buffer.from(content, 'utf8'),
      ...(without.length ? { unavailable: without } : {}),
      display,
      secrets: f.secrets,
      services: f.services,
      onChange: f.onChange,
    });
  }
  const refused = new Set<string>();
  for (const f of manifest.secretFiles) {
    if (!store.has(f.secret) && !unavailable.has(f.secret)) continue;
    const v = store.has(f.secret) ? store.get(f.secret) : undefined;
    if (v && f.form) {
      const why = cibSecretProblem(v);
      if (why) {
        const [resource, param] = f.path.slice(CIB_SECRETS_DIR.length + 1).replace(/\.sign$/, '').split('/');
        const key = `${f.secret}\u0000${resource}\u0000${param}`;
        if (!refused.has(key)) {
          refused.add(key);
          problems.push({ code: 'HA5540', pointer: topology.secrets[f.secret]?.pointer ?? '/secrets', args: { secret: f.secret, resource: resource!, param: param!, why, max: String(CIB_SECRET_MAX_BYTES) } });
        }
        continue;
      }
    }
    files.push({
      ...(store.has(f.secret) ? {} : { unavailable: [f.secret] }),
      node: f.node,
      path: f.path,
      owner: f.owner,
      group: f.group,
      mode: f.mode,
      install: 'file',
      content: v === undefined ? Buffer.alloc(0) : f.form === 'cib-secret' ? Buffer.concat([v, Buffer.from('\n')]) : f.form === 'cib-secret-sign' ? Buffer.from(`${createHash('md5').update(v).digest('hex')}\n`) : v,
      display: undefined,
      secrets: [f.secret],
      services: f.services,
      onChange: f.onChange,
    });
  }
  for (const s of cibSecretFiles) {
    if (!store.has(s.secret) && !unavailable.has(s.secret)) continue;
    const v = store.has(s.secret) ? store.get(s.secret) : undefined;
    if (v && s.script && !fitsInLine(v)) {
      problems.push({ code: 'HA5502', pointer: topology.secrets[s.secret]?.pointer ?? '/secrets', args: { secret: s.secret, node: `cluster ${s.cluster}`, path: s.path } });
      continue;
    }
    const content = !v ? Buffer.alloc(0) : s.script ? Buffer.from(`#!/bin/sh\n# written by hactl apply: prints a secret for a fence agent\nprintf '%s\\n' ${shellQuote(v.toString('utf8'))}\n`) : v;
    for (const node of topology.clusters[s.cluster]?.nodes ?? []) {
      files.push({
        node,
        path: s.path,
        owner: 'root',
        group: 'root',
        mode: s.script ? '0700' : '0600',
        install: 'file',
        content,
        ...(v ? {} : { unavailable: [s.secret] }),
        display: undefined,
        secrets: [s.secret],
        services: ['pacemaker'],
        onChange: { kind: 'none' },
      });
    }
  }
  files.sort((a, b) => compareStrings(a.node, b.node) || compareStrings(a.path, b.path));
  for (const b of brokers) {
    if (!store.has(b.secret)) continue;
    const v = store.get(b.secret);
    const why = brokerPasswordProblem(v);
    if (why) problems.push({ code: 'HA5541', pointer: topology.secrets[b.secret]?.pointer ?? '/secrets', args: { secret: b.secret, user: b.request.user, why } });
    else b.password = v.toString('utf8');
  }
  if (problems.length) return { problems, warnings };
  return { desired: { files, units: manifest.units, cibs, secrets: store, ...(brokers.length ? { brokers } : {}) }, problems, warnings };
}

/**
 * Why a value cannot be a RabbitMQ password read from stdin, or undefined: rabbitmqctl reads one
 * line and trims blanks at both ends, so the broker would store another password than the one the
 * files log in with.
 */
export function brokerPasswordProblem(v: Buffer): string | undefined {
  if (!isText(v)) return 'it is not text';
  const text = v.toString('utf8');
  if (/[\x00-\x1f\x7f]/.test(text)) return 'it holds a line break or another control character';
  if (/^\s|\s$/.test(text)) return 'it begins or ends with a blank';
  return undefined;
}

/** The broker accounts of the catalogue services each cluster runs, with the agent's node name. */
function brokersOf(model: Lowered): DesiredBroker[] {
  const { topology } = model;
  const out: DesiredBroker[] = [];
  if (!topology.family) return out;
  for (const c of Object.values(topology.clusters).sort((a, b) => compareStrings(a.name, b.name))) {
    for (const s of Object.values(c.services).sort((a, b) => compareStrings(a.name, b.name))) {
      const account = s.entry?.brokerAccount;
      const proc = processesOf(s, topology.family)[0];
      if (!account || !proc) continue;
      const resource = primitiveId(proc.id);
      // From the compiled model: the topology may override the catalogue's value.
      const primitive = model.clusters.find((x) => x.name === c.name)?.resources.flatMap(primitivesOf).find((p) => p.id === resource);
      const nodename = account.nodeParam && primitive ? (paramOf(primitive, account.nodeParam) ?? '') : '';
      out.push({ cluster: c.name, service: s.name, resource, secret: secretName(topology, account.purpose), request: { user: account.user, vhost: account.vhost, permissions: account.permissions, nodename } });
    }
  }
  return out;
}
