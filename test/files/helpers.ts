/** Shared helpers of the node-file tests: load and compile fixtures through the library. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import type { Manifest } from '../../src/compile/files/manifest.js';
import { loadTopology } from '../../src/load.js';
import type { Lowered } from '../../src/lower/index.js';
import type { Topology } from '../../src/model/types.js';
import { ROOT } from '../helpers/cli.js';
import { runCommand } from '../helpers/spawn.js';

export const FIXTURES = ['pixelpark', 'havana', 'three-controllers'] as const;

export function loadModel(name: string): Lowered {
  const file = join(ROOT, 'fixtures', `${name}.yaml`);
  const r = loadTopology(readFileSync(file, 'utf8'), `fixtures/${name}.yaml`);
  if (!r.ok || !r.model) throw new Error(`${name} does not validate: ${r.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('; ')}`);
  return r.model;
}

export function loadFixture(name: string): Topology {
  return loadModel(name).topology;
}

export interface Compiled {
  /** Artifact path (nodes/NODE/...) -> content. */
  files: Map<string, string>;
  manifest: Manifest;
}

const cache = new Map<string, Compiled>();

export function compileFixture(name: string): Compiled {
  let c = cache.get(name);
  if (!c) {
    const artifacts = emitNodeFiles(loadModel(name));
    const files = new Map(artifacts.filter((a) => a.path !== 'manifest.json').map((a) => [a.path, a.content]));
    const manifest = JSON.parse(artifacts.find((a) => a.path === 'manifest.json')!.content) as Manifest;
    cache.set(name, (c = { files, manifest }));
  }
  return c;
}

export function fileOf(c: Compiled, node: string, target: string): string {
  const content = c.files.get(`nodes/${node}/${target.replace(/^\//, '')}`);
  if (content === undefined) throw new Error(`no ${target} for ${node}`);
  return content;
}

// Python's configparser, strict (duplicate sections or options are errors) and with no
// interpolation, reads every file and prints {section: {option: value}} as JSON; DEFAULT is
// reported as its own section instead of being merged into the others.
const INI_READER = `
import configparser, json, sys
out = {}
for path in sys.argv[1:]:
    p = configparser.ConfigParser(strict=True, interpolation=None, default_section='\\x00none')
    p.optionxform = str
    with open(path) as f:
        p.read_file(f, source=path)
    out[path] = {s: dict(p.items(s, raw=True)) for s in p.sections()}
print(json.dumps(out))
`;

export type Ini = Record<string, Record<string, string>>;

/** Parses INI files with python3's strict configparser; throws with its message when one fails. */
export function parseIni(paths: string[]): Record<string, Ini> {
  const r = runCommand('python3', ['-c', INI_READER, ...paths]);
  if (r.code !== 0) throw new Error(`configparser refused: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, Ini>;
}
