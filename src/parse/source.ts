/**
 * A topology as read: its text, the YAML document with source ranges, and the plain value.
 * Kept together so that any later stage can turn a JSON Pointer back into file:line:col.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import type { Alias, Document, ErrorCode as YamlErrorCode, Node as YamlNode, Pair } from 'yaml';
import { readFast, type FastMap, type FastNode } from './fast.js';
import { LineIndex } from './lines.js';
import { diag, pointerOf, pointerSegments, type Diagnostic, type Position } from '../diagnostics.js';

export interface Source {
  file: string;
  text: string;
  /**
   * The document as the yaml library read it, or (fast) as hactl's own reader did (src/parse/fast.ts);
   * neither when the text is not one well-formed YAML document.
   */
  doc?: Document.Parsed;
  fast?: FastMap;
  value: unknown;
  lines: LineIndex;
}

export interface ParseResult {
  source: Source;
  diagnostics: Diagnostic[];
}

// The forms YAML 1.1 reads as booleans but YAML 1.2 (which hactl uses) reads as strings: an
// operator writing `enabled: yes` or `mode: on` would silently get the string.
const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** The JavaScript engine's message when a parser recursing into nested collections runs out of stack. */
const TOO_DEEP = /Maximum call stack size exceeded/;
const DEEP_DETAIL = 'the document nests collections deeper than hactl reads (thousands of levels)';
const DEEP_HINT = 'a topology nests about ten levels deep: check that this is the right file';

/** The largest topology read (4 MiB): 25 times the 1000-node benchmark cloud, far below harm. */
export const TOPOLOGY_MAX_BYTES = 4 * 1024 * 1024;

export interface ParseOptions {
  /** Read with the yaml library even when hactl's reader takes the text (tests compare the two). */
  library?: boolean;
}

export function parseTopology(text: string, file: string, opts: ParseOptions = {}): ParseResult {
  const lines = new LineIndex(text);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > TOPOLOGY_MAX_BYTES) {
    // Before the parser: its cost and the echo of huge values in diagnostics grow with the input.
    const source: Source = { file, text: '', value: undefined, lines: new LineIndex('') };
    return { source, diagnostics: [{ ...diag('HA1012', '', { bytes, max: TOPOLOGY_MAX_BYTES }), file, start: { line: 1, col: 1, offset: 0 }, end: { line: 1, col: 1, offset: 0 } }] };
  }
  // Lone carriage returns (classic Mac line ends): YAML reads each as a line break, but a topology
  // saved that way comes back as a cascade of errors about what look like single lines (security m12).
  const loneCr = /\r(?!\n)/.exec(text);
  if (loneCr) {
    const source: Source = { file, text, value: undefined, lines };
    const d = diag('HA1001', '', { detail: 'the line ends are lone carriage returns (CR)' }, 'save the file with LF (or CRLF) line ends');
    return { source, diagnostics: [{ ...d, file, start: positionAt(source, loneCr.index), end: positionAt(source, loneCr.index + 1) }] };
  }
  // Most topologies are read by hactl's own reader; whatever it does not take, the library reads.
  const fast = opts.library ? undefined : readFast(text);
  if (fast) return { source: { file, text, value: fast.value, lines, fast: fast.root }, diagnostics: [] };
  // Duplicate keys are found below in one pass per mapping: the parser's own check compares every
  // key with every other one, quadratic in the size of a mapping (26 s for 40 000 keys).
  const docs = parseAllDocuments(text, {
    version: '1.2',
    merge: true,
    uniqueKeys: false,
    prettyErrors: false,
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
  // After the first syntax error the parser has lost the structure: what it reports further down
  // (a tab's indentation error is followed by one "same column" error per later mapping entry, at
  // correct lines and with made-up pointers) is a consequence, so only the first one is shown.
  // (Duplicate keys are found after parsing, in one pass per mapping: see the Map visitor below.)
  let syntaxShown = false;
  for (const e of [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])) {
    if (syntaxShown) continue;
    syntaxShown = true;
    if (TOO_DEEP.test(e.message)) {
      // The parser ran out of stack: no pointer (it would be thousands of levels long).
      diagnostics.push(at(diag('HA1001', '', { detail: DEEP_DETAIL }, DEEP_HINT), e.pos[0], e.pos[1]));
      continue;
    }
    const pointer = pointerAt(doc, e.pos[0]);
    if (e.code === 'BLOCK_AS_IMPLICIT_KEY') {
      // Reported at the value of the key above; the line to fix is the deeper-indented one below.
      const next = nextLineStart(text, e.pos[0]);
      if (next !== undefined) {
        const lineEnd = text.indexOf('\n', next);
        const detail = 'this line is indented deeper than the key above it, whose value is already written on that key\'s line';
        const hint = 'indent it like the key above (the same column), or write the value of the key above on its own, more indented lines';
        diagnostics.push(at(diag('HA1001', pointerAt(doc, next), { detail }, hint), next, lineEnd < 0 ? text.length : lineEnd));
        continue;
      }
    }
    const detail = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const unclosed = /end with an? ([\]}])/.exec(detail);
    const hint = unclosed ? `a ${unclosed[1]} is missing: a [ or { opened here is not closed` : YAML_HINTS[e.code];
    diagnostics.push(at(diag('HA1001', pointer, { detail }, hint), e.pos[0], e.pos[1]));
  }
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') continue; // HA1005 below reports every explicit tag
    diagnostics.push(at(diag('HA1007', pointerAt(doc, w.pos[0]), { detail: w.message.split('\n')[0]! }), w.pos[0], w.pos[1]));
  }
  // A %YAML 1.1 directive would switch the parser back to the schema where yes/no/on/off are
  // booleans and 0777 is octal: the very surprises hactl refuses.
  if (doc.directives?.yaml.version !== '1.2') {
    const start = Math.max(0, text.search(/^%YAML/m));
    diagnostics.push(at(diag('HA1009', '', { version: String(doc.directives?.yaml.version) }), start, text.indexOf('\n', start)));
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { source, diagnostics };

  const targets = aliasTargets(doc, text);
  visit(doc, {
    Map(_key, map, path) {
      const seen = new Map<string, number>();
      for (const p of map.items) {
        if (isMergeKey(p.key)) continue;
        const k = keyText(p);
        const range = (p.key as YamlNode | null)?.range ?? [0, 0, 0];
        const first = seen.get(k);
        if (first === undefined) {
          seen.set(k, range[0]);
          continue;
        }
        const pointer = pointerOfPath(path, map) + pointerOf(k);
        diagnostics.push(at(diag('HA1006', pointer, { key: k, line: positionAt(source, first).line }), range[0], range[1]));
      }
    },
    Alias(_key, node, path) {
      const range = node.range ?? [0, 0, 0];
      if (targets.get(node) === undefined) diagnostics.push(at(diag('HA1010', pointerOfPath(path, node), { name: node.source }), range[0], range[1]));
    },
    Pair(_key, pair, path) {
      if (!isMergeKey(pair.key)) return;
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const src of sources) {
        const target = isAlias(src) ? targets.get(src) : src;
        if (target === undefined || isMap(target)) continue; // an unresolved alias is HA1010
        const range = (src as YamlNode | null)?.range ?? (pair.key as YamlNode).range ?? [0, 0, 0];
        diagnostics.push(at(diag('HA1011', pointerOfPath(path, pair.value)), range[0], range[1]));
      }
    },
    Scalar(_key, node, path) {
      const range = node.range ?? [0, 0, 0];
      if (node.tag && node.tag !== 'tag:yaml.org,2002:str' && node.tag !== '!!str') {
        diagnostics.push(at(diag('HA1005', pointerOfPath(path, node), { tag: node.tag.replace(/^tag:yaml\.org,2002:/, '!!') }), range[0], range[1]));
      }
      if (node.type === 'PLAIN' && typeof node.value === 'string' && YAML11_BOOL.test(node.value)) {
        diagnostics.push(at(diag('HA1003', pointerOfPath(path, node), { text: node.value }), range[0], range[1]));
      }
    },
  });

  if (diagnostics.some((d) => d.severity === 'error')) return { source, diagnostics };
  source.doc = doc;
  try {
    source.value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    const deep = TOO_DEEP.test((e as Error).message);
    diagnostics.push(at(diag('HA1001', '', { detail: deep ? DEEP_DETAIL : (e as Error).message }, deep ? DEEP_HINT : undefined), 0));
    return { source, diagnostics };
  }
  if (source.value === null || source.value === undefined) {
    diagnostics.push(at(diag('HA1004', ''), 0));
  }
  return { source, diagnostics };
}

/** The offset of the first non-blank character on the next non-empty line after offset. */
function nextLineStart(text: string, offset: number): number | undefined {
  const re = /\n[ ]*(?=[^\s])/g;
  re.lastIndex = offset;
  const m = re.exec(text);
  return m ? m.index + m[0].length : undefined;
}

/** Hints for the yaml parser's error codes, in the words of someone editing a topology. */
const YAML_HINTS: Partial<Record<YamlErrorCode, string>> = {
  BAD_INDENT: 'indent the entries of one mapping or list by the same number of spaces',
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  MISSING_CHAR: 'a quote, ] or } opened earlier is not closed',
  MULTILINE_IMPLICIT_KEY: 'a key and its colon must be on one line; check the indentation of the line above',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation: a nested mapping goes on its own, more indented lines',
  UNEXPECTED_TOKEN: 'check for a stray character, or a value that needs quotes (it starts with a YAML indicator)',
  BAD_SCALAR_START: "quote values that start with a YAML indicator such as @, ` or %",
  BAD_DQ_ESCAPE: 'use single quotes, or a valid escape such as \\\\ or \\"',
  BAD_ALIAS: 'an alias (*name) must name an anchor (&name) defined earlier',
  RESOURCE_EXHAUSTION: 'aliases expand to too much data',
  KEY_OVER_1024_CHARS: 'keys are names: keep them short',
  BLOCK_IN_FLOW: 'inside [ ] or { } write values inline',
};

/** The deepest node whose source range holds `offset`, as a JSON Pointer (for syntax errors). */
export function pointerAt(doc: Document.Parsed, offset: number): string {
  const segs: string[] = [];
  let node: unknown = doc.contents;
  const holds = (n: unknown) => {
    const r = (n as YamlNode | null | undefined)?.range;
    return !!r && r[0] <= offset && offset <= r[2];
  };
  for (let guard = 0; guard < 1000; guard++) {
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        // Only values are entered: a key that an error runs through is often garbage (several
        // lines read as one implicit key), and its mapping is the useful place to name.
        if (holds(pair.value)) {
          if (!isMergeKey(pair.key)) segs.push(keyText(pair));
          next = pair.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      const i = node.items.findIndex(holds);
      if (i >= 0) {
        segs.push(String(i));
        next = node.items[i];
      }
    }
    if (!next) break;
    node = next;
  }
  return pointerOf(...segs);
}

/**
 * The node each alias refers to: the last node before it carrying its anchor, as the yaml
 * library's Alias.resolve() finds it. That method walks the whole document on every call, which
 * made a topology written with `<<: *anchor` on each of 1000 nodes take seconds; one walk here.
 */
function aliasTargets(doc: Document.Parsed, text: string): Map<Alias, YamlNode | undefined> {
  const anchors = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode | undefined>();
  // Every alias is written with a `*`: without one there is nothing to find, and this walk of
  // the whole document is a tenth of the parse (a JSON topology has no aliases at all).
  if (!text.includes('*')) return targets;
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}

/** The JSON Pointer of a node met while visiting, from the chain of its ancestors. */
function pointerOfPath(path: readonly unknown[], node: unknown): string {
  const segs: string[] = [];
  const chain = [...path, node];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isSeq(parent)) segs.push(String(parent.items.indexOf(child as never)));
    else if (isPair(parent) && parent.value === child && !isMergeKey(parent.key)) segs.push(keyText(parent));
  }
  return pointerOf(...segs);
}

/** A `<<` merge key (the yaml library reads a plain `<<` as a symbol; a quoted one is a string). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

function keyText(pair: Pair): string {
  const k = pair.key;
  return isScalar(k) ? String(k.value) : String(k);
}

/** The position of an offset, clamped to the text (the parser reports some errors past its end). */
export function positionAt(source: Source, offset: number): Position {
  const o = Math.max(0, Math.min(offset, source.text.length));
  const lp = source.lines.linePos(o);
  return { line: lp.line, col: lp.col, offset: o };
}

/**
 * Finds the node a JSON Pointer names, following merge keys (`<<: *anchor`) and aliases the way
 * the value was built, and returns its source range. `key` asks for the key of the last segment.
 * Falls back to the nearest ancestor that exists.
 */
export function locate(source: Source, pointer: string, key = false): [number, number] {
  if (source.fast) return locateFast(source.fast, pointer, key);
  if (!source.doc) return [0, 0];
  const segs = pointerSegments(pointer);
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

/** locate() in a document read by hactl's reader: the same walk over its nodes. */
function locateFast(root: FastMap, pointer: string, key: boolean): [number, number] {
  const segs = pointerSegments(pointer);
  let node: FastNode = root;
  let range: [number, number] = [root.start, root.end];
  for (let i = 0; i < segs.length; i++) {
    while (node.kind === 'alias') node = node.target;
    const seg = segs[i]!;
    let next: { value: FastNode; keyNode: { start: number; end: number } } | undefined;
    if (node.kind === 'map') next = findInFastMap(node, seg);
    else if (node.kind === 'seq') {
      const idx = Number(seg);
      const item = Number.isInteger(idx) ? node.items[idx] : undefined;
      if (item) next = { value: item, keyNode: item };
    }
    if (!next) return range;
    const at = i === segs.length - 1 && key ? next.keyNode : next.value;
    range = [at.start, at.end];
    node = next.value;
  }
  return range;
}

function findInFastMap(map: FastNode, seg: string, depth = 0): { value: FastNode; keyNode: FastNode } | undefined {
  while (map.kind === 'alias') map = map.target;
  if (map.kind !== 'map' || depth > 20) return undefined;
  for (const q of map.pairs) if (q.name === seg) return { value: q.value, keyNode: q.key };
  for (const q of map.pairs) {
    if (q.name !== undefined) continue;
    for (const t of q.value.kind === 'seq' ? q.value.items : [q.value]) {
      const found = findInFastMap(t, seg, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
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
    if (isMergeKey(item.key)) {
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
