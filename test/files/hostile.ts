/**
 * The hostile-value sweep of the whole pipeline (layer 1 of injection.test.ts): every string value
 * and every name of the reference topology, with each hostile suffix, is refused with an error at
 * its own JSON Pointer (by the schema or by the value-grammar rule), or, where the field never
 * reaches a node file, compiles to exactly the same node files as before. Its ~2,400 cases are
 * split into shards by site, one test file each, so that the unit tier runs them side by side.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import { pointerOf } from '../../src/diagnostics.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';

export const HOSTILE = [
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

/** The sweep over the sites whose index is `shard` modulo `shards`. */
export function hostileSweep(shard: number, shards: number): void {
  const base = baseDocument();
  const baseline = loadTopology(JSON.stringify(base), 'hostile.json');
  assert.ok(baseline.ok, JSON.stringify(baseline.diagnostics));
  const files = new Map(emitNodeFiles(baseline.model!).map((a) => [a.path, a.content]));
  const all = sites(base);
  assert.ok(all.length > 150, `only ${all.length} sites`);
  let refused = 0;
  let harmless = 0;
  for (const [i, site] of all.entries()) {
    if (i % shards !== shard) continue;
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
}
