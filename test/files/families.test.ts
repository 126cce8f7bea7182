/**
 * Release families are one ordered list (src/vocabulary.ts): the schema's release enum is that
 * list, every versioned catalogue value resolves in every family, templates only ask "this family
 * or later" (since.<family>), and every fixture compiles in every family its services exist in.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { findService, pick, SERVICES, type Versioned } from '../../src/catalog/index.js';
import { compile } from '../../src/compile/index.js';
import { OPENSTACK_FILES } from '../../src/compile/files/openstack.js';
import { loadTopology } from '../../src/load.js';
import { FAMILIES, familyOfRelease, RELEASE_ALIASES, RELEASES, sinceFlags, type Family, type ReleaseName } from '../../src/vocabulary.js';
import { ROOT } from '../helpers/cli.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('the schema accepts exactly the releases of the family list, in its order, then their code names', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'topology.schema.json'), 'utf8')) as Doc;
  assert.deepEqual(schema['properties']['openstack']['properties']['release']['enum'], [...Object.keys(RELEASES), ...Object.keys(RELEASE_ALIASES)]);
  // Every family has a release, in the family list's order.
  assert.deepEqual([...new Set(Object.values(RELEASES))], [...FAMILIES]);
});

test('code names resolve to their numbered release and its family', () => {
  const text = readFileSync(join(ROOT, 'fixtures', 'current.yaml'), 'utf8');
  const load = (release: string) => loadTopology(text.replace('release: epoxy', `release: '${release}'`), `${release}.yaml`);
  for (const [alias, number] of [...Object.entries(RELEASE_ALIASES), ['2024.1', '2024.1'] as const]) {
    const r = load(alias);
    assert.ok(r.ok && r.model, r.diagnostics.map((d) => d.message).join('\n'));
    assert.equal(r.model.topology.release, number);
    assert.equal(r.model.topology.family, 'current');
  }
  // A release between the families (2023.2, bobcat) is refused by the schema; an unquoted 2024.1 is
  // a YAML number, refused with that said.
  for (const release of ['bobcat', '2023.2']) assert.ok(!load(release).ok, release);
  const unquoted = loadTopology(text.replace('release: epoxy', 'release: 2024.1'), 'unquoted.yaml');
  assert.match(unquoted.diagnostics.map((d) => d.message).join('\n'), /the number 2024.1 is not one of/);
});

test('since flags: a family is "since" itself and every older family, never a newer one', () => {
  for (const [i, f] of FAMILIES.entries()) {
    assert.deepEqual(sinceFlags(f), Object.fromEntries(FAMILIES.map((g, j) => [g, j <= i])));
  }
});

/** Every { since: … } value under `v`, with where it was found. */
function versioned(v: unknown, at: string, out: { at: string; value: Versioned<unknown> }[]): typeof out {
  if (Array.isArray(v)) v.forEach((x, i) => versioned(x, `${at}[${i}]`, out));
  else if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'since') out.push({ at, value: v as Versioned<unknown> });
    else for (const k of keys) versioned((v as Record<string, unknown>)[k], `${at}.${k}`, out);
  }
  return out;
}

test('every versioned catalogue and file value resolves in every family (a family appended to the list inherits the newest)', () => {
  const all = versioned(SERVICES, 'SERVICES', []).concat(versioned(OPENSTACK_FILES, 'OPENSTACK_FILES', []));
  assert.ok(all.length > 20, `only ${all.length} versioned values found`);
  for (const { at, value } of all) {
    const since = (value as { since: Partial<Record<Family, unknown>> }).since;
    for (const k of Object.keys(since)) assert.ok((FAMILIES as readonly string[]).includes(k), `${at}: unknown family ${k}`);
    // The oldest family must be covered, or some family would have no value at all.
    assert.ok(since[FAMILIES[0]] !== undefined, `${at} has no value for ${FAMILIES[0]}`);
    for (const f of FAMILIES) assert.doesNotThrow(() => pick(value, f), `${at} in ${f}`);
    // The newest family's value is what a family added after it gets until the catalogue says otherwise.
    const newest = [...FAMILIES].reverse().find((f) => since[f] !== undefined)!;
    assert.deepEqual(pick(value, FAMILIES[FAMILIES.length - 1]!), since[newest], at);
  }
});

test('templates never test a release for equality: only since.<family>', () => {
  const dir = join(ROOT, 'templates');
  const names = FAMILIES.join('|');
  let flags = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/\{\{[^}]*\}\}/g)) {
      const tag = m[0];
      const mentions = [...tag.matchAll(new RegExp(`(\\S*?)\\b(${names})\\b`, 'g'))];
      for (const x of mentions) {
        assert.equal(x[1], 'since.', `${file}: ${tag} tests a release by equality; write since.${x[2]} ("${x[2]} or later")`);
        flags++;
      }
    }
  }
  assert.ok(flags >= 20, `only ${flags} since flags found`);
});

/** The fixture with its release set to `family` and its service names as that family spells them; undefined when a service does not exist there. */
function inFamily(doc: Doc, family: Family): Doc | undefined {
  const from = familyOfRelease(doc['openstack']['release'] as ReleaseName);
  const out = structuredClone(doc);
  out['openstack']['release'] = Object.entries(RELEASES).find(([, f]) => f === family)![0];
  for (const c of Object.values(out['clusters'] ?? {}) as Doc[]) {
    const services = Object.entries((c['services'] ?? {}) as Doc);
    const names = new Map<string, string>();
    for (const [name] of services) {
      const entry = findService(name, from);
      if (entry?.families && !entry.families.includes(family)) return undefined;
      names.set(name, entry ? pick(entry.name, family) : name);
    }
    for (const [, s] of services) if (s['after']) s['after'] = (s['after'] as string[]).map((a) => names.get(a) ?? a);
    c['services'] = Object.fromEntries(services.map(([name, s]) => [names.get(name)!, s]));
  }
  return out;
}

const FIXTURES = [...['pixelpark', 'havana', 'three-controllers', 'lab', 'lab2', 'current'].map((n) => `fixtures/${n}.yaml`), ...readdirSync(join(ROOT, 'fixtures', 'valid')).map((f) => `fixtures/valid/${f}`)];

for (const file of FIXTURES) {
  const doc = parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as Doc;
  if (!doc['openstack']) continue;
  for (const family of FAMILIES) {
    test(`${file} compiles in ${family}`, (t) => {
      const moved = inFamily(doc, family);
      if (!moved) return t.skip(`a service of ${file} does not exist in ${family}`);
      const r = loadTopology(JSON.stringify(moved), `${file} (${family})`);
      assert.ok(r.ok && r.model, r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
      const artifacts = compile(r.model);
      assert.ok(artifacts.some((a) => a.path === 'manifest.json'));
      assert.ok(artifacts.some((a) => a.path.endsWith('/cib.xml')));
    });
  }
}

test('compute.instances.rbd.mount: required in the 2013 families (a mounted image per node), optional in current (images_type = rbd)', () => {
  const text = readFileSync(join(ROOT, 'fixtures', 'current.yaml'), 'utf8');
  assert.ok(loadTopology(text, 'current.yaml').ok);
  const old = loadTopology(text.replace('release: epoxy', 'release: icehouse'), 'icehouse.yaml');
  assert.deepEqual(
    old.diagnostics.map((d) => `${d.code} ${d.pointer}`),
    ['HA2003 /compute/instances/rbd'],
  );
});
