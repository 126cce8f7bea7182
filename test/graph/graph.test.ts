/**
 * hactl graph: DOT per cluster is golden (HACTL_UPDATE_GOLDEN=1 rewrites fixtures/golden-graph/;
 * read the diff), the SVG Graphviz-in-WebAssembly renders from it is XML that names every
 * resource, and no name can break out of a DOT string or an SVG text.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { primitivesOf } from '../../src/compile/pacemaker/index.js';
import { clusterDot, dotId, renderSvg, topologyGraphs } from '../../src/graph/index.js';
import { loadTopology } from '../../src/load.js';
import type { Lowered } from '../../src/lower/index.js';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { hactl, ROOT } from '../helpers/cli.js';

const UPDATE = process.env.HACTL_UPDATE_GOLDEN === '1';
/** Golden name -> topology: the reference fixtures, and promotable clones and fencing levels. */
const FIXTURES: Record<string, string> = {
  pixelpark: 'fixtures/pixelpark.yaml',
  havana: 'fixtures/havana.yaml',
  'three-controllers': 'fixtures/three-controllers.yaml',
  lab: 'fixtures/lab.yaml',
  lab2: 'fixtures/lab2.yaml',
  promotable: 'test/compile/fixtures/promotable.yaml',
  'fencing-levels': 'test/compile/fixtures/fencing-levels.yaml',
  blocks: 'test/compile/fixtures/blocks.yaml',
  bundles: 'test/compile/fixtures/bundles.yaml',
};

function load(file: string): Lowered {
  const r = loadTopology(readFileSync(join(ROOT, file), 'utf8'), file);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => d.message).join('\n'));
  return r.model;
}

for (const [name, file] of Object.entries(FIXTURES)) {
  test(`graph of ${file} matches fixtures/golden-graph/${name}/`, () => {
    const model = load(file);
    const dir = join(ROOT, 'fixtures', 'golden-graph', name);
    for (const g of topologyGraphs(model)) {
      const file = join(dir, `${g.cluster}.dot`);
      if (UPDATE) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, g.dot);
      }
      assert.ok(existsSync(file), `${file} is missing: run with HACTL_UPDATE_GOLDEN=1`);
      assert.equal(g.dot, readFileSync(file, 'utf8'), `${file} differs (HACTL_UPDATE_GOLDEN=1 rewrites it; read the diff)`);
    }
  });
}

test('the SVG parses as XML and names every resource, node and VIP network', async () => {
  for (const [name, file] of Object.entries(FIXTURES)) {
    const { topology: t, clusters } = load(file);
    for (const config of clusters) {
      const svg = await renderSvg(clusterDot({ topology: t, config }));
      const parsed = parseXml(svg);
      assert.ok(parsed.ok, `${name}/${config.name}: ${parsed.ok ? '' : parsed.error.message}`);
      assert.equal(parsed.root.name, 'svg');
      const prims = config.resources.flatMap(primitivesOf);
      assert.ok(nodeGroups(parsed.root) >= prims.length + config.nodes.length);
      const shown = new Set(svgTexts(svg));
      for (const r of config.resources) {
        for (const p of primitivesOf(r)) assert.ok(shown.has(p.id), `${name}/${config.name}: ${p.id} not in the SVG`);
        if (r.kind !== 'primitive') assert.ok([...shown].some((s) => s.endsWith(` ${r.id}`)), `${name}/${config.name}: box of ${r.id} not in the SVG`);
      }
      for (const n of config.nodes) assert.ok(shown.has(n.uname), `${name}/${config.name}: node ${n.uname}`);
      for (const v of Object.values(t.clusters[config.name]!.vips)) assert.ok(shown.has(`network ${v.network}`), `${name}/${config.name}: network ${v.network}`);
    }
  }
});

/** The text of every <text> element, entities decoded (src/xml keeps elements, not text). */
function svgTexts(svg: string): string[] {
  const decode = (s: string) =>
    s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!,
    );
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1]!));
}

/** Element names of the tree: the SVG is a real document, with one <g class="node"> per drawn node. */
function nodeGroups(e: XmlElement): number {
  return (e.name === 'g' && e.attrs.class === 'node' ? 1 : 0) + e.children.reduce((n, c) => n + nodeGroups(c), 0);
}

test('a hostile name cannot break DOT or the SVG: quoted, escaped, shown as text', async () => {
  const { topology: t, clusters: [config] } = load('fixtures/pixelpark.yaml');
  const evil = 'x" -> "y"; } digraph z { \\';
  const markup = '</text><script>alert(1)</script>&amp;--> \n';
  const first = config!.resources[0]!;
  assert.equal(first.kind, 'primitive');
  const hostile = { ...config!, name: evil, resources: [{ ...first, id: markup } as typeof first, ...config!.resources.slice(1)] };
  const dot = clusterDot({ topology: t, config: hostile });
  assert.equal(dot.split('\n').filter((l) => l.startsWith('digraph')).length, 1);
  assert.ok(dot.includes(dotId(evil)) && !dot.includes('"y"'));
  assert.equal(dotId('a\\'), '"a\\u005c"', 'a trailing backslash cannot escape the closing quote');
  const svg = await renderSvg(dot);
  const parsed = parseXml(svg);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  assert.doesNotMatch(svg, /<script/);
  assert.ok(svgTexts(svg).includes('</text><script>alert(1)</script>&amp;--> '), 'the name is shown as text');
});

test('hactl graph: DOT of every cluster, SVG of one, -o refuses to overwrite', () => {
  const all = hactl(['graph', 'fixtures/pixelpark.yaml']);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(all.stdout.split('\n').filter((l) => l.startsWith('digraph')), ['digraph "controllers" {', 'digraph "network" {']);
  const many = hactl(['graph', '--format', 'svg', 'fixtures/pixelpark.yaml']);
  assert.equal(many.code, 2);
  assert.match(many.stderr, /HA5704: fixtures\/pixelpark\.yaml has 2 clusters and an SVG draws one/);
  assert.match(many.stderr, /name one with --cluster: controllers, network/);
  const unknown = hactl(['graph', '--cluster', 'nope', 'fixtures/pixelpark.yaml']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /HA5703: no cluster nope in fixtures\/pixelpark\.yaml/);
  assert.match(unknown.stderr, /clusters: controllers, network/);
  const dir = mkdtempSync(join(tmpdir(), 'hactl-graph-'));
  try {
    const out = join(dir, 'c.svg');
    const svg = hactl(['graph', '--cluster', 'controllers', '--format', 'svg', '-o', out, 'fixtures/pixelpark.yaml']);
    assert.equal(svg.code, 0, svg.stderr);
    assert.ok(parseXml(readFileSync(out, 'utf8')).ok);
    writeFileSync(out, 'mine');
    const again = hactl(['graph', '--cluster', 'controllers', '--format', 'svg', '-o', out, 'fixtures/pixelpark.yaml']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /HA4008: .*c\.svg exists; hactl does not overwrite it/);
    assert.match(again.stderr, /add --force to replace it/);
    assert.equal(readFileSync(out, 'utf8'), 'mine');
    assert.equal(hactl(['graph', '--cluster', 'controllers', '-o', out, '--force', 'fixtures/pixelpark.yaml']).code, 0);
    assert.match(readFileSync(out, 'utf8'), /^digraph "controllers"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
