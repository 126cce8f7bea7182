/** Shared by the corpus tests: where Pacemaker's test CIBs are, a seeded PRNG, seeded mutations. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_MAINTAINED_PROPERTIES, PROPERTY_SECTIONS, RESOURCE_TAGS } from '../../src/diff/rules.js';
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

export type Mutation = { kind: 'value' | 'remove' | 'add'; owner: string; what: string };

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

