/**
 * The set-up every live test repeated: a topology moved into its test cluster instance's address
 * block, compiled by hactl, a test cluster brought up on the compiled corosync.conf (and authkey),
 * and torn down with its work directory. Two shapes: `upForApply` for tests that drive `hactl
 * apply` over SSH, `upWithCrm` for tests that load the compiled configure.crm with crmsh.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { compile } from '../../src/compile/index.js';
import { loadTopology } from '../../src/load.js';
import { hactl, ROOT } from '../helpers/cli.js';
import { Testbed } from './testbed.js';

/** The hook that stands in for systemd on the test nodes (reloads and restarts reach them through it). */
export const SERVICE_ACTION_HOOK = join(ROOT, 'test', 'apply', 'fixtures', 'service-action.sh');

/** Network and first address of an instance's /26, as testbed.sh allots them. */
function block(id: number): { net: string; base: number } {
  return id <= 4 ? { net: '198.51.100', base: 64 * (id - 1) } : { net: '203.0.113', base: 64 * (id - 5) };
}

/**
 * A fixture written for instance `from` (fixtures/lab.yaml: 1, fixtures/lab2.yaml: 2) with every
 * address of that block moved to the same place in instance `to`'s block, then edited.
 */
export function labTopology(fixture: string, from: number, to: number, edit?: (doc: Document) => void): string {
  const a = block(from);
  const b = block(to);
  const re = new RegExp(`${a.net.replaceAll('.', '\\.')}\\.(\\d+)\\b`, 'g');
  const text = readFileSync(join(ROOT, 'fixtures', fixture), 'utf8').replace(re, (m, o: string) => {
    const n = Number(o);
    return n >= a.base && n < a.base + 64 ? `${b.net}.${n - a.base + b.base}` : m;
  });
  const doc = parseDocument(text);
  edit?.(doc);
  return doc.toString();
}

/** Names a corosync authkey kept in the file `authkey` beside the topology as cluster `lab`'s key. */
export function withAuthkey(doc: Document): void {
  doc.setIn(['secrets', 'corosync-key'], { file: 'authkey' });
  doc.setIn(['clusters', 'lab', 'authkey'], 'corosync-key');
}

export interface Lab {
  tb: Testbed;
  /** A fresh directory under /tmp (shared with the nodes). */
  work: string;
  /** The topology file in `work`. */
  topo: string;
  /** hactl's compiled output of it. */
  out: string;
}

export interface LabOptions {
  id: number;
  /** Prefix of the work directory's name, for someone reading /tmp. */
  name: string;
  topology: string;
  nodes?: number;
  /** Make the authkey the topology names (`withAuthkey`) with `hactl keygen`. */
  authkey?: boolean;
  /** Other files beside the topology (secret files), by name. */
  files?: Record<string, string>;
  /** The instance in IPv6 mode (2001:db8:<id>::/64 only): the topology's addresses must be there. */
  ipv6?: boolean;
}

/**
 * Writes and compiles the topology, brings the instance up on its corosync.conf (and authkey),
 * waits for every node online and installs the service-action hook, so `hactl apply` can run.
 */
export function upForApply(opts: LabOptions): Lab {
  const work = mkdtempSync(`/tmp/hactl-${opts.name}-`);
  const topo = join(work, 'topology.yaml');
  writeFileSync(topo, opts.topology);
  for (const [name, content] of Object.entries(opts.files ?? {})) writeFileSync(join(work, name), content);
  if (opts.authkey) assert.equal(hactl(['keygen', join(work, 'authkey')]).code, 0);
  const out = join(work, 'out');
  const c = hactl(['compile', topo, '-o', out]);
  assert.equal(c.code, 0, c.stderr);
  const tb = Testbed.up({
    id: opts.id,
    nodes: opts.nodes ?? 3,
    corosyncConf: join(out, 'nodes', 'n1', 'etc', 'corosync', 'corosync.conf'),
    ...(opts.authkey ? { authkey: join(work, 'authkey') } : {}),
    ...(opts.ipv6 ? { ipv6: true } : {}),
  });
  const lab = { tb, work, topo, out };
  try {
    tb.waitOnline(120);
    for (const n of tb.nodes) tb.run(n, ['install', '-D', '-m', '0755', SERVICE_ACTION_HOOK, '/etc/hactl/service-action']);
  } catch (e) {
    down(lab);
    throw e;
  }
  return lab;
}

/**
 * `hactl apply` of the lab's topology to every node, disruption allowed (a test cluster holds no
 * one's work); fails the test unless it exits 0, and returns what it printed.
 */
export function applyAll(lab: Pick<Lab, 'tb' | 'topo'>): string {
  const r = hactl(['apply', lab.topo, '--all', '--yes', '--allow-disruption', '--ssh-config', lab.tb.sshConfig]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return r.stdout;
}

export interface CrmLab {
  tb: Testbed;
  work: string;
}

/**
 * Compiles the topology in process, brings the instance up on n1's corosync.conf and loads
 * cluster `lab`'s configure.crm with crmsh, the way an operator without hactl apply would.
 */
export function upWithCrm(opts: { id: number; name: string; topology: string | ((work: string) => string); file: string; nodes: number }): CrmLab {
  const work = mkdtempSync(`/tmp/hactl-${opts.name}-`);
  // A function gets the work directory first, to place there the files its topology names.
  const r = loadTopology(typeof opts.topology === 'string' ? opts.topology : opts.topology(work), opts.file);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => d.message).join('; '));
  const files = new Map(compile(r.model, ['cib', 'crmsh', 'files']).map((a) => [a.path, a.content]));
  const conf = join(work, 'corosync.conf');
  writeFileSync(conf, files.get('nodes/n1/etc/corosync/corosync.conf')!);
  const tb = Testbed.up({ id: opts.id, nodes: opts.nodes, corosyncConf: conf });
  const lab = { tb, work };
  try {
    tb.waitOnline();
    const crm = join(work, 'configure.crm');
    writeFileSync(crm, files.get('clusters/lab/configure.crm')!);
    const load = tb.exec('n1', ['crm', 'configure', 'load', 'update', crm]);
    assert.equal(load.code, 0, load.stdout + load.stderr);
  } catch (e) {
    down(lab);
    throw e;
  }
  return lab;
}

/** Tears the instance down and removes the work directory; safe on a set-up that failed half way. */
export function down(lab: { tb?: Testbed; work?: string } | undefined): void {
  lab?.tb?.down();
  if (lab?.work) rmSync(lab.work, { recursive: true, force: true });
}

/** The CIB's configuration epoch. */
export function epochOf(cibXml: string): string {
  const m = /<cib [^>]*\bepoch="(\d+)"/.exec(cibXml);
  assert.ok(m, 'no epoch in the CIB');
  return m[1]!;
}
