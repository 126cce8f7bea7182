/**
 * The diff on configurations nobody on this project wrote: Pacemaker's own test CIBs. Each one
 * diffed with itself shows no drift; a seeded random mutation (a value changed, an object removed,
 * an object added) is reported at the object it was made in; nothing throws.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diffCibs, REFERENCE_OWNERSHIP, type CibDiff } from '../../src/diff/index.js';
import { CLUSTER_MAINTAINED_PROPERTIES, PROPERTY_SECTIONS, RESOURCE_TAGS } from '../../src/diff/rules.js';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { ROOT } from '../helpers/cli.js';

export const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'pacemaker-cts', 'scheduler');

export function corpusFiles(): string[] {
  return existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith('.xml')).sort() : [];
}

/** A small seeded PRNG (mulberry32) so every run mutates the same way. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function clone(e: XmlElement): XmlElement {
  return { name: e.name, attrs: { ...e.attrs }, children: e.children.map(clone) };
}

function configurationOf(root: XmlElement): XmlElement | undefined {
  return root.children.find((c) => c.name === 'configuration');
}

interface Site {
  el: XmlElement;
  parent: XmlElement;
  section: string;
  /** The id the diff reports a change here under. */
  owner: string;
}

/** Every element of the configuration with the object that owns it (as the diff reports it). */
function sites(conf: XmlElement): Site[] {
  const out: Site[] = [];
  const walk = (el: XmlElement, parent: XmlElement, section: string, owner: string | undefined) => {
    let own = owner;
    if (section === 'resources' && RESOURCE_TAGS.has(el.name)) own = el.attrs.id;
    else if (PROPERTY_SECTIONS.has(section) && el.name === 'nvpair') own = el.attrs.name;
    else if (own === undefined) own = el.attrs.id ?? el.attrs['id-ref'];
    if (own !== undefined) out.push({ el, parent, section, owner: own });
    for (const c of el.children) walk(c, el, section, own);
  };
  for (const s of conf.children) for (const c of s.children) walk(c, s, s.name, PROPERTY_SECTIONS.has(s.name) && c.name !== 'nvpair' ? c.attrs.id : undefined);
  return out;
}

type Mutation = { kind: 'value' | 'remove' | 'add'; owner: string; what: string };

/** Applies one mutation to a copy of a CIB; undefined when the CIB has nowhere to make it. */
export function mutate(root: XmlElement, rnd: () => number): { copy: XmlElement; m: Mutation } | undefined {
  const copy = clone(root);
  const conf = configurationOf(copy);
  if (!conf) return undefined;
  const all = sites(conf).filter((s) => !(s.section === 'crm_config' && CLUSTER_MAINTAINED_PROPERTIES.has(s.el.attrs.name ?? '')));
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const kind = (['value', 'remove', 'add'] as const)[Math.floor(rnd() * 3)]!;
  if (kind === 'value') {
    const candidates = all.flatMap((s) => Object.keys(s.el.attrs).filter((a) => a !== 'id' && a !== 'id-ref').map((a) => ({ s, a })));
    const c = pick(candidates);
    if (!c) return undefined;
    c.s.el.attrs[c.a] = `${c.s.el.attrs[c.a]}-mutated`;
    return { copy, m: { kind, owner: c.s.owner, what: `${c.s.el.name}@${c.a}` } };
  }
  if (kind === 'remove') {
    // Whole objects: top-level entries of a section (a resource, a constraint, a property, a node).
    const objects = all.filter((s) => conf.children.includes(s.parent) && (s.el.attrs.id !== undefined || s.el.name === 'nvpair'));
    const s = pick(objects);
    if (!s) return undefined;
    // Removing a whole set of properties reports its properties one by one (those the cluster
    // maintains itself are never reported); a set with nothing else in it is not a mutation.
    let owner = s.owner;
    if (PROPERTY_SECTIONS.has(s.section) && s.el.name !== 'nvpair') {
      const prop = s.el.children.find((c) => c.name === 'nvpair' && !(s.section === 'crm_config' && CLUSTER_MAINTAINED_PROPERTIES.has(c.attrs.name ?? '')));
      if (!prop) return undefined;
      owner = prop.attrs.name!;
    }
    s.parent.children.splice(s.parent.children.indexOf(s.el), 1);
    return { copy, m: { kind, owner, what: `${s.el.name} ${s.el.attrs.id}` } };
  }
  let constraints = conf.children.find((c) => c.name === 'constraints');
  if (!constraints) conf.children.push((constraints = { name: 'constraints', attrs: {}, children: [] }));
  const id = `mutation-${Math.floor(rnd() * 1e9)}`;
  constraints.children.push({ name: 'rsc_location', attrs: { id, rsc: 'some-resource', node: 'some-node', score: '7' }, children: [] });
  return { copy, m: { kind, owner: id, what: `rsc_location ${id}` } };
}

function diffOf(a: XmlElement, b: XmlElement): CibDiff {
  const r = diffCibs(a, b, REFERENCE_OWNERSHIP);
  if (!r.ok) throw new Error(r.message);
  return r.diff;
}

const files = corpusFiles();

describe('Pacemaker test CIBs (../shared/corpus/pacemaker-cts)', { skip: files.length ? false : `corpus not found at ${CORPUS}` }, () => {
  it(`parses every CIB, and each diffed with itself (and a fresh parse of itself) has no drift`, () => {
    assert.ok(files.length > 800, `expected the 854 scheduler CIBs, found ${files.length}`);
    for (const f of files) {
      const text = readFileSync(join(CORPUS, f), 'utf8');
      const a = parseXml(text);
      const b = parseXml(text);
      assert.ok(a.ok && b.ok, `${f}: ${!a.ok ? a.error.message : ''}`);
      const d = diffOf(a.root, b.root);
      assert.deepEqual(d.changes, [], `${f}: ${JSON.stringify(d.changes.slice(0, 3))}`);
    }
  });

  it('reports a seeded random mutation of every CIB at the object it was made in', () => {
    const rnd = prng(20261124);
    let mutated = 0;
    const kinds = { value: 0, remove: 0, add: 0 };
    for (const f of files) {
      const r = parseXml(readFileSync(join(CORPUS, f), 'utf8'));
      assert.ok(r.ok);
      const mut = mutate(r.root, rnd);
      if (!mut) continue;
      mutated++;
      kinds[mut.m.kind]++;
      const d = diffOf(r.root, mut.copy);
      const where = `${f}: ${mut.m.kind} ${mut.m.what} (owner ${mut.m.owner})`;
      assert.ok(d.changes.length > 0, `${where}: nothing reported`);
      assert.ok(
        d.changes.some((c) => c.id === mut.m.owner),
        `${where}: reported ${JSON.stringify(d.changes.map((c) => `${c.kind} ${c.tag} ${c.id}`))}`,
      );
      if (mut.m.kind === 'add') assert.deepEqual(d.changes.map((c) => `${c.kind} ${c.id}`), [`added ${mut.m.owner}`], where);
    }
    assert.ok(mutated > 800, `only ${mutated} CIBs could be mutated`);
    assert.ok(kinds.value > 200 && kinds.remove > 200 && kinds.add > 200, JSON.stringify(kinds));
  });
});
