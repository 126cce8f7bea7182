/**
 * A topology as read: its text, the YAML document with source ranges, and the plain value.
 * Kept together so that any later stage can turn a JSON Pointer back into file:line:col.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import { diag, type Diagnostic, type Position } from '../diagnostics.js';

export interface Source {
  file: string;
  text: string;
  /** Undefined when the text is not one well-formed YAML document. */
  doc?: Document.Parsed;
  value: unknown;
  lines: LineCounter;
}

export interface ParseResult {
  source: Source;
  diagnostics: Diagnostic[];
}

// The forms YAML 1.1 reads as booleans but YAML 1.2 (which hactl uses) reads as strings: an
// operator writing `enabled: yes` or `mode: on` would silently get the string.
const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

export function parseTopology(text: string, file: string): ParseResult {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.2',
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
    lineCounter: lines,
  });
  const source: Source = { file, text, value: undefined, lines };
  const diagnostics: Diagnostic[] = [];
  const at = (d: Diagnostic, offset: number, endOffset = offset): Diagnostic => {
    d.file = file;
    d.start = positionAt(source, offset);
    d.end = positionAt(source, Math.max(offset, endOffset));
    return d;
  };

  if (!Array.isArray(docs)) {
    // An empty stream comes back as an EmptyStream with no documents.
    diagnostics.push(at(diag('HA1004', ''), 0));
    return { source, diagnostics };
  }
  if (docs.length === 0) {
    diagnostics.push(at(diag('HA1004', ''), 0));
    return { source, diagnostics };
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    diagnostics.push(at(diag('HA1008', '', { count: docs.length }), second.range[0]));
  }
  const doc = docs[0]!;
  for (const e of doc.errors) {
    const code = e.code === 'DUPLICATE_KEY' ? 'HA1006' : 'HA1001';
    const detail = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const d =
      code === 'HA1006'
        ? diag('HA1006', '', { key: detail.replace(/^Map keys must be unique;?\s*/, '') || 'key' })
        : diag('HA1001', '', { detail });
    diagnostics.push(at(d, e.pos[0], e.pos[1]));
  }
  for (const w of doc.warnings) {
    diagnostics.push(at(diag('HA1007', '', { detail: w.message.split('\n')[0]! }), w.pos[0], w.pos[1]));
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { source, diagnostics };

  visit(doc, {
    Scalar(_key, node, path) {
      const range = node.range ?? [0, 0, 0];
      if (node.tag && node.tag !== 'tag:yaml.org,2002:str' && node.tag !== '!!str') {
        diagnostics.push(at(diag('HA1005', pointerOfPath(path, node), { tag: node.tag }), range[0], range[1]));
      }
      if (node.type === 'PLAIN' && typeof node.value === 'string' && YAML11_BOOL.test(node.value)) {
        diagnostics.push(at(diag('HA1003', pointerOfPath(path, node), { text: node.value }), range[0], range[1]));
      }
    },
  });

  source.doc = doc;
  try {
    source.value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    diagnostics.push(at(diag('HA1001', '', { detail: (e as Error).message }), 0));
    return { source, diagnostics };
  }
  if (source.value === null || source.value === undefined) {
    diagnostics.push(at(diag('HA1004', ''), 0));
  }
  return { source, diagnostics };
}

/** The JSON Pointer of a node met while visiting, from the chain of its ancestors. */
function pointerOfPath(path: readonly unknown[], node: unknown): string {
  const segs: string[] = [];
  const chain = [...path, node];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isSeq(parent)) segs.push(String(parent.items.indexOf(child as never)));
    else if (isPair(parent) && parent.value === child) segs.push(keyText(parent));
  }
  return segs.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function keyText(pair: Pair): string {
  const k = pair.key;
  return isScalar(k) ? String(k.value) : String(k);
}

export function positionAt(source: Source, offset: number): Position {
  const lp = source.lines.linePos(Math.min(offset, source.text.length));
  return { line: lp.line, col: lp.col, offset };
}

/**
 * Finds the node a JSON Pointer names, following merge keys (`<<: *anchor`) and aliases the way
 * the value was built, and returns its source range. `key` asks for the key of the last segment.
 * Falls back to the nearest ancestor that exists.
 */
export function locate(source: Source, pointer: string, key = false): [number, number] {
  if (!source.doc) return [0, 0];
  const segs = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = source.doc.contents;
  let range: [number, number] = rangeOf(node) ?? [0, 0];
  for (let i = 0; i < segs.length; i++) {
    node = deref(source.doc, node);
    const seg = segs[i]!;
    let next: { value: unknown; keyNode: unknown } | undefined;
    if (isMap(node)) next = findInMap(source.doc, node, seg);
    else if (isSeq(node)) {
      const idx = Number(seg);
      if (Number.isInteger(idx) && node.items[idx] !== undefined) next = { value: node.items[idx], keyNode: node.items[idx] };
    }
    if (!next) return range;
    const last = i === segs.length - 1;
    const r = rangeOf(last && key ? next.keyNode : next.value) ?? rangeOf(next.keyNode);
    if (r) range = r;
    node = next.value;
  }
  return range;
}

function deref(doc: Document.Parsed, node: unknown): unknown {
  let n = node;
  for (let guard = 0; isAlias(n) && guard < 100; guard++) n = n.resolve(doc);
  return n;
}

function findInMap(doc: Document.Parsed, map: unknown, seg: string, depth = 0): { value: unknown; keyNode: unknown } | undefined {
  if (!isMap(map) || depth > 20) return undefined;
  for (const item of map.items) {
    if (isScalar(item.key) && String(item.key.value) === seg) return { value: item.value, keyNode: item.key };
  }
  for (const item of map.items) {
    if (isScalar(item.key) && item.key.value === '<<') {
      const targets = isSeq(item.value) ? item.value.items : [item.value];
      for (const t of targets) {
        const found = findInMap(doc, deref(doc, t), seg, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as YamlNode | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** Places a diagnostic at the source of its pointer (the key for unknown-property errors). */
export function position(source: Source, d: Diagnostic, key = false): Diagnostic {
  if (d.start) return d;
  const [s, e] = locate(source, d.pointer, key);
  d.file = source.file;
  d.start = positionAt(source, s);
  d.end = positionAt(source, Math.max(s, e));
  return d;
}
