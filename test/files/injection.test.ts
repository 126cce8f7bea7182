/**
 * Hostile values never change what a node file means. Three layers, each tested on its own:
 * 1. the whole pipeline: every string value and every name in the reference topology, with each
 *    hostile suffix, is refused with an error at its own JSON Pointer (by the schema or by the
 *    value-grammar rule), or, where the field never reaches a node file, compiles to exactly the
 *    same node files as before;
 * 2. the value-grammar rule alone (the schema bypassed, as if it were relaxed one day): every value
 *    that reaches a file is refused at its pointer when it carries a line break, a control
 *    character, NUL, non-ASCII or a secret reference;
 * 3. the renderer agrees with the rule: whatever the rule lets through renders without tripping
 *    the renderer's own check (a value reaching a template unchecked is a bug, exit 4).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import { lower } from '../../src/lower/index.js';
import { pointerOf } from '../../src/diagnostics.js';
import { loadTopology } from '../../src/load.js';
import { grammarProblem, GRAMMARS, type Grammar } from '../../src/formats/grammars.js';
import { valueGrammar } from '../../src/model/rules/value-grammar.js';
import type { TopologyInput } from '../../src/model/input.js';
import type { Topology } from '../../src/model/types.js';
import { ROOT } from '../helpers/cli.js';
import { loadFixture } from './helpers.js';

const HOSTILE = [
  '\n[evil]\nkey = value',
  '\r\n}\nnodelist {',
  '{',
  '}',
  '#comment',
  ';comment',
  '$name',
  '\\',
  '"',
  "'",
  '\u0000',
  'ü',
  '{{secret:ipmi}}',
];
// Other control characters, U+2028 and blanks are covered value by value in the rule's own test.

function baseDocument(): Record<string, unknown> {
  const doc = parse(readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8'), { merge: true }) as Record<string, unknown>;
  // Free-text fields the reference topology does not use, so that they are attacked too.
  (doc['defaults'] as { fencing: Record<string, unknown> }).fencing['params'] = { pcmk_delay_max: '5s' };
  const clusters = doc['clusters'] as Record<string, Record<string, unknown>>;
  clusters['controllers']!['properties'] = { 'cluster-recheck-interval': '5min' };
  (clusters['network']!['services'] as Record<string, Record<string, unknown>>)['quantum-l3-agent']!['params'] = { extra: 'value' };
  return doc;
}

interface Site {
  pointer: string;
  /** Whether the site is a map key (a name) rather than a value. */
  key: boolean;
  /** Sets the value (or renames the key) to the original with `suffix` appended. */
  apply(doc: Record<string, unknown>, suffix: string): void;
}

function sites(doc: unknown): Site[] {
  const out: Site[] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === 'string') {
      out.push({
        pointer: pointerOf(...path),
        key: false,
        apply: (d, suffix) => {
          const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], d); // eslint-disable-line @typescript-eslint/no-explicit-any
          parent[path[path.length - 1]!] = v + suffix;
        },
      });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, i]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        walk(x, [...path, k]);
        // Names the operator chooses are map keys: attack them too.
        if (path.length === 1 || (path.length >= 3 && ['vips', 'services', 'pools'].includes(String(path[path.length - 1])))) {
          out.push({
            pointer: pointerOf(...path, k),
            key: true,
            apply: (d, suffix) => {
              const parent = path.reduce<any>((o, p) => o[p], d); // eslint-disable-line @typescript-eslint/no-explicit-any
              const value = parent[k];
              delete parent[k];
              parent[k + suffix] = value;
            },
          });
        }
      }
    }
  };
  walk(doc, []);
  return out;
}

const pointerAfter = (site: Site, suffix: string): string => {
  if (!site.key) return site.pointer;
  const segs = site.pointer.split('/');
  const last = segs.pop()!.replace(/~1/g, '/').replace(/~0/g, '~');
  return `${segs.join('/')}${pointerOf(last + suffix)}`;
};

test('every string value and name of the reference topology, made hostile, is refused at its pointer or changes no node file', () => {
  const base = baseDocument();
  const baseline = loadTopology(JSON.stringify(base), 'hostile.json');
  assert.ok(baseline.ok, JSON.stringify(baseline.diagnostics));
  const files = new Map(emitNodeFiles(baseline.model!).map((a) => [a.path, a.content]));
  const all = sites(base);
  assert.ok(all.length > 150, `only ${all.length} sites`);
  let refused = 0;
  let harmless = 0;
  for (const site of all) {
    for (const suffix of HOSTILE) {
      const doc = structuredClone(base);
      site.apply(doc, suffix);
      const r = loadTopology(JSON.stringify(doc), 'hostile.json');
      const at = pointerAfter(site, suffix);
      if (!r.ok) {
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        // A default is reported where it takes effect (the nodes inheriting it) by some rules.
        const inherited = (p: string) => at.startsWith('/defaults/') && /^\/nodes\/[^/]+\//.test(p) && p.endsWith(at.slice('/defaults'.length));
        assert.ok(
          errors.some((d) => d.pointer === at || inherited(d.pointer)),
          `${at} + ${JSON.stringify(suffix)}: refused, but not at its pointer: ${errors.map((d) => `${d.code} ${d.pointer}`).join(', ')}`,
        );
        refused++;
        continue;
      }
      // Accepted: the value must not reach any node file (it is CIB-only or free text).
      const now = new Map(emitNodeFiles(r.model!).map((a) => [a.path, a.content]));
      assert.deepEqual(now, files, `${at} + ${JSON.stringify(suffix)} was accepted and changed the node files`);
      harmless++;
    }
  }
  assert.ok(refused > harmless, `refused ${refused}, harmless ${harmless}`);
  assert.ok(harmless > 0, 'the free-text fields were exercised');
});

/** Every place the value-grammar rule checks, with a way to put a value there (schema bypassed). */
const SINKS: { pointer: string; set(t: Topology, v: string): void }[] = [
  { pointer: '/openstack/region', set: (t, v) => (t.region = v) },
  { pointer: '/secrets/ipmi', set: (t, v) => (t.secrets['ipmi']!.name = v) },
  { pointer: '/networks/storage', set: (t, v) => (t.networks['storage']!.cidr = v) },
  { pointer: '/nodes/ctl1', set: (t, v) => (t.nodes['ctl1']!.name = v) },
  { pointer: '/nodes/ctl1/addresses/management', set: (t, v) => (t.nodes['ctl1']!.addresses['management'] = v) },
  { pointer: '/nodes/stor1/bond/name', set: (t, v) => (t.nodes['stor1']!.bond!.name = v) },
  { pointer: '/nodes/stor1/bond/mode', set: (t, v) => (t.nodes['stor1']!.bond!.mode = v) },
  { pointer: '/nodes/stor1/bond/interfaces/1', set: (t, v) => (t.nodes['stor1']!.bond!.interfaces[1] = v) },
  { pointer: '/nodes/stor1/osds/0/data', set: (t, v) => (t.nodes['stor1']!.osds[0]!.data = v) },
  { pointer: '/nodes/stor1/osds/0/journal', set: (t, v) => (t.nodes['stor1']!.osds[0]!.journal = v) },
  { pointer: '/clusters/controllers', set: (t, v) => (t.clusters['controllers']!.name = v) },
  { pointer: '/clusters/controllers/authkey', set: (t, v) => (t.clusters['controllers']!.authkey = v) },
  { pointer: '/clusters/controllers/vips/api/address', set: (t, v) => (t.clusters['controllers']!.vips['api']!.address = v) },
  { pointer: '/clusters/controllers/services/mysql/storage/rbd/pool', set: (t, v) => (t.clusters['controllers']!.services['mysql']!.storage!.pool = v) },
  { pointer: '/clusters/controllers/services/mysql/storage/rbd/image', set: (t, v) => (t.clusters['controllers']!.services['mysql']!.storage!.image = v) },
  { pointer: '/clusters/controllers/services/mysql/storage/rbd/mount', set: (t, v) => (t.clusters['controllers']!.services['mysql']!.storage!.mount = v) },
  { pointer: '/ceph/fsid', set: (t, v) => (t.ceph!.fsid = v) },
  { pointer: '/ceph/pools/volumes', set: (t, v) => (t.ceph!.pools['volumes']!.name = v) },
  { pointer: '/ceph/pools/volumes/client', set: (t, v) => (t.ceph!.pools['volumes']!.client = v) },
  { pointer: '/compute/instances/rbd/pool', set: (t, v) => (t.compute!.instances!.pool = v) },
  { pointer: '/compute/instances/rbd/image', set: (t, v) => (t.compute!.instances!.image = v) },
  { pointer: '/compute/instances/rbd/mount', set: (t, v) => (t.compute!.instances!.mount = v) },
];

const input = parse(readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8'), { merge: true }) as TopologyInput;

test('the value-grammar rule refuses line breaks, control characters, NUL, non-ASCII and references in every value it checks', () => {
  const universal = ['\n[evil]', '\r', '\u0000', '\u001b[2J', '\u00e9', '\u2028', '{{secret:x}}', ' '];
  for (const sink of SINKS) {
    for (const h of universal) {
      const t = structuredClone(loadFixture('pixelpark'));
      sink.set(t, `x${h}`);
      const d = valueGrammar.check(t, input);
      assert.ok(
        d.some((x) => x.code === 'HA3950' && x.pointer === sink.pointer),
        `${sink.pointer} + ${JSON.stringify(h)}: not refused (${d.map((x) => x.pointer).join(', ')})`,
      );
    }
  }
});

test('the renderer never meets a value the rule let through that its grammar refuses (rule and templates agree)', () => {
  let checked = 0;
  for (const sink of SINKS) {
    for (const h of HOSTILE) {
      const t = structuredClone(loadFixture('pixelpark'));
      sink.set(t, `x${h}`);
      if (valueGrammar.check(t, input).length) continue;
      // The rule accepted it: rendering must not find anything its grammar refuses.
      assert.doesNotThrow(() => emitNodeFiles(lower(t).lowered), `${sink.pointer} + ${JSON.stringify(h)}`);
      checked++;
    }
  }
  assert.ok(checked > 0, 'some hostile characters are harmless somewhere (e.g. "$" in an interface name)');
});

test('the renderer refuses an unchecked value instead of writing it (internal error, never a file)', () => {
  const t = structuredClone(loadFixture('pixelpark'));
  // The network cluster's name reaches corosync.conf only (no cinder host= there).
  t.clusters['network']!.name = 'network\n}\nquorum {';
  assert.throws(() => emitNodeFiles(lower(t).lowered), /internal: unchecked value .* reached a corosync file/);
});

test('each grammar refuses the characters its parser gives a meaning', () => {
  const expect: Record<Grammar, string[]> = {
    corosync: ['{', '}', '#'],
    ceph: ['#', ';', '\\', '"', "'", '$'],
    'ceph-section': ['[', ']', ' ', '#', '$'],
    oslo: ['$', '%', '"', "'", '#', ';', '[', ']', '\\'],
    mycnf: ['#', ';', '"', "'", '\\'],
    'python-str': ["'", '"', '\\'],
    shell: ['$', '`', ';', '&', '|', '(', '"', "'", ' ', '*'],
    fstab: [' ', '#', '\\'],
    rbdmap: [' ', '#', ',', '=', "'"],
    hosts: [' ', '#'],
    ifupdown: [' ', '#', '\\'],
    'secret-ref': ['{', '}', '|', ':', ' '],
  };
  for (const g of Object.keys(GRAMMARS) as Grammar[]) {
    assert.equal(grammarProblem(g, 'plain-value_1.2/3'), undefined, `${g} refuses a plain value`);
    for (const ch of expect[g]) assert.ok(grammarProblem(g, `a${ch}b`), `${g} accepts ${JSON.stringify(ch)}`);
    for (const ch of ['\n', '\r', '\t', '\u0000', '\u007f', 'é']) assert.ok(grammarProblem(g, `a${ch}b`), `${g} accepts ${JSON.stringify(ch)}`);
    assert.ok(grammarProblem(g, ''), `${g} accepts an empty value`);
  }
});
