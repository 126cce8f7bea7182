/**
 * hactl's diff agrees with Pacemaker's own crm_diff: wherever crm_diff finds two configurations
 * equal, hactl finds no drift. Pairs come from the corpus: each CIB with a re-serialised copy
 * (attributes in another order, other whitespace), with a copy whose unordered children were
 * shuffled, with a seeded mutation of itself, and with its sibling test CIBs (foo-1 / foo-2).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diffCibs, REFERENCE_OWNERSHIP } from '../../src/diff/index.js';
import { RESOURCE_TAGS } from '../../src/diff/rules.js';
import { parseXml } from '../../src/xml/parse.js';
import { serializeXml } from '../../src/xml/serialize.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { needTools } from '../helpers/spawn.js';
import { clone, corpusFiles, CORPUS, mutate, prng } from './corpus.js';

/** The configuration alone, as a CIB without versions or status: what both tools should compare. */
function configOnly(root: XmlElement): XmlElement {
  return { name: 'cib', attrs: {}, children: root.children.filter((c) => c.name === 'configuration').map(clone) };
}

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Attribute order shuffled everywhere. */
function reattribute(e: XmlElement, rnd: () => number): XmlElement {
  return { name: e.name, attrs: Object.fromEntries(shuffle(Object.entries(e.attrs), rnd)), children: e.children.map((c) => reattribute(c, rnd)) };
}

/** Children shuffled where Pacemaker ignores their order (not group members or resource sets). */
function reorder(e: XmlElement, rnd: () => number): XmlElement {
  const keepOrder = e.name === 'group' || e.name === 'rsc_order' || e.name === 'rsc_colocation' || e.name === 'resource_set';
  const children = e.children.map((c) => reorder(c, rnd));
  if (keepOrder) return { ...e, children };
  // Resources nested in a clone or bundle keep their place; their siblings may move.
  return { ...e, children: shuffle(children, rnd).sort((a, b) => Number(RESOURCE_TAGS.has(a.name) && e.name !== 'resources') - Number(RESOURCE_TAGS.has(b.name) && e.name !== 'resources')) };
}

const dir = mkdtempSync(join(tmpdir(), 'hactl-crm-diff-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** crm_diff's verdict: true when it finds the two equal (exit 0), false when different (exit 1). */
function crmDiffEqual(a: XmlElement, b: XmlElement): boolean {
  const fa = join(dir, `a${n}.xml`);
  const fb = join(dir, `b${n++}.xml`);
  writeFileSync(fa, serializeXml(a));
  writeFileSync(fb, serializeXml(b));
  const r = spawnSync('crm_diff', ['-u', '-o', fa, '-n', fb], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `crm_diff failed (${r.status}): ${r.stderr}`);
  return r.status === 0;
}

function hactlEqual(a: XmlElement, b: XmlElement): boolean {
  const r = diffCibs(a, b, REFERENCE_OWNERSHIP);
  if (!r.ok) throw new Error(r.message);
  return !r.diff.drift && r.diff.changes.length === 0;
}

const files = corpusFiles();
const skip = needTools(['crm_diff']) || (files.length ? false : `corpus not found at ${CORPUS}`);

describe('agreement with crm_diff', { skip }, () => {
  it('finds no drift wherever crm_diff finds two configurations equal', (t) => {
    const rnd = prng(5);
    const sample = shuffle(files, rnd).slice(0, 120);
    const verdicts = { pairs: 0, crmEqual: 0, hactlEqual: 0, reorderedCrmEqual: 0 };
    const check = (what: string, a: XmlElement, b: XmlElement) => {
      const crm = crmDiffEqual(a, b);
      const ours = hactlEqual(a, b);
      verdicts.pairs++;
      if (crm) verdicts.crmEqual++;
      if (ours) verdicts.hactlEqual++;
      if (crm) assert.ok(ours, `${what}: crm_diff finds them equal, hactl reports drift`);
      return { crm, ours };
    };
    const parsed = new Map<string, XmlElement>();
    const load = (f: string) => {
      let c = parsed.get(f);
      if (!c) {
        const r = parseXml(readFileSync(join(CORPUS, f), 'utf8'));
        assert.ok(r.ok, f);
        parsed.set(f, (c = configOnly(r.root)));
      }
      return c;
    };
    for (const f of sample) {
      const a = load(f);
      check(`${f} / itself with attributes reordered`, a, reattribute(a, rnd));
      const re = check(`${f} / children reordered`, a, reorder(a, rnd));
      assert.ok(re.ours, `${f}: reordering children Pacemaker does not order is not drift`);
      if (re.crm) verdicts.reorderedCrmEqual++;
      const mut = mutate(a, rnd);
      if (mut) check(`${f} / mutated`, a, mut.copy);
    }
    // Siblings: Pacemaker's tests often come in series (foo-1, foo-2) sharing a configuration.
    const stems = new Map<string, string[]>();
    for (const f of files) {
      const stem = f.replace(/[-_]?[0-9]+\.xml$/, '');
      (stems.get(stem) ?? stems.set(stem, []).get(stem)!).push(f);
    }
    for (const group of shuffle([...stems.values()].filter((g) => g.length > 1), rnd).slice(0, 80)) {
      check(`${group[0]} / ${group[1]}`, load(group[0]!), load(group[1]!));
    }
    t.diagnostic(JSON.stringify(verdicts));
    // Not vacuous: crm_diff found many pairs equal (so the agreement was tested) and some different.
    assert.ok(verdicts.crmEqual >= 100, JSON.stringify(verdicts));
    assert.ok(verdicts.crmEqual < verdicts.pairs, JSON.stringify(verdicts));
  });
});
