/**
 * A reader for the YAML that topologies are written in: block mappings and sequences, one-line
 * flow collections, plain and one-line quoted scalars, comments, anchors, aliases and merge keys.
 * It builds the value and the source ranges of its nodes in one pass over the text.
 *
 * Why: the yaml library reads any YAML, through a lexer, a parser and a composer written as
 * generators, then a second walk for the value. A command runs once and its code is not optimised
 * by the time it ends: the library took about a fifth of `hactl validate` (~20 ms for the
 * reference's 6 KB). This reader covers what topologies use and gives up on anything else (a
 * block scalar, a tag, a multi-line scalar or flow collection, a tab, a duplicate key, a YAML 1.1
 * boolean, a syntax error...): the library then reads the text, and reports what it finds there
 * exactly as before. Whatever this reader accepts, it reads to the same value, with the same
 * ranges, as the library (test/parse/fast.test.ts compares the two on every fixture and on
 * thousands of generated documents).
 */

/** A node and its source range: [start, end) of its own text, as the yaml library's range[0..1]. */
export type FastNode = FastScalar | FastMap | FastSeq | FastAlias;

export interface FastScalar {
  kind: 'scalar';
  start: number;
  end: number;
  value: unknown;
}

export interface FastPair {
  key: FastScalar;
  /** The key as a string (the property it makes); undefined for a merge key (`<<`). */
  name: string | undefined;
  value: FastNode;
}

export interface FastMap {
  kind: 'map';
  start: number;
  end: number;
  pairs: FastPair[];
  /** The mapping's JavaScript value (the object built as it was read). */
  value: Record<string, unknown>;
}

export interface FastSeq {
  kind: 'seq';
  start: number;
  end: number;
  items: FastNode[];
  value: unknown[];
}

export interface FastAlias {
  kind: 'alias';
  start: number;
  end: number;
  target: FastNode;
  /** The anchored node's value itself, as the library gives it (one object, not a copy). */
  value: unknown;
}

export interface FastDocument {
  root: FastMap;
  value: Record<string, unknown>;
}

/** Thrown inside the reader when the text leaves what it reads; caught at the top. */
const GIVE_UP = Symbol('not read here');

// Scalar resolution of YAML 1.2's core schema, as the library applies it to a plain scalar.
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** Left to the library: other number forms (0x, 0o, .inf, .nan), and YAML 1.1 booleans it warns about. */
const ELSEWHERE = /^(?:[-+]?0[xo]|[-+]?\.(?:inf|Inf|INF)$|\.(?:nan|NaN|NAN)$|(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$)/;
/** Characters the library rejects or treats specially anywhere in a document. */
const UNREAD = /[\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]/;
/** A plain key this reader takes (a name); any other key is left to the library. */
const KEY = /^[A-Za-z0-9_.\/@+=~$()-](?:[A-Za-z0-9_.\/@+=~$() -]*[A-Za-z0-9_.\/@+=~$()-])?$/;
/** An anchor or alias name. */
const ANCHOR = /^[A-Za-z0-9_.-]+$/;

const SPACE = 32;
const NL = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Reads `text`, or returns undefined when it is not in the form this reader takes. */
export function readFast(text: string): FastDocument | undefined {
  if (UNREAD.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

function plainValue(s: string): unknown {
  if (ELSEWHERE.test(s)) throw GIVE_UP;
  const c = s.charCodeAt(0);
  // Most scalars are names: nothing below matches a scalar starting with a letter but n/N/t/T/f/F.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
    if ((c === 110 || c === 78) && NULL.test(s)) return null;
    if ((c === 116 || c === 84 || c === 102 || c === 70) && BOOL.test(s)) return c === 116 || c === 84;
    return s;
  }
  if (s === '~') return null;
  if (INT.test(s)) {
    if (s.length > 15) throw GIVE_UP;
    return Number(s);
  }
  if (FLOAT.test(s)) return parseFloat(s);
  return s;
}

class Reader {
  private readonly anchors = new Map<string, FastNode | null>();
  private aliasUses = 0;
  /** Collections open around the one being read: a topology nests about ten deep. */
  private depth = 0;

  constructor(private readonly t: string) {}

  document(): FastDocument {
    const t = this.t;
    let p = this.nextContent(0);
    if (t.startsWith('---', p) && p === 0 && (t.length === 3 || t.charCodeAt(3) === NL || t.charCodeAt(3) === SPACE)) {
      const rest = this.restOfLine(3);
      p = this.nextContent(rest);
    }
    if (p >= t.length || this.indent(p) !== 0) throw GIVE_UP;
    const c = t.charCodeAt(p);
    if (c === 37 /* % */ || (c === DASH && (t.startsWith('---', p) || this.isSeqMark(p)))) throw GIVE_UP;
    const { value: node, next } = this.blockMap(p, 0);
    // The library counts aliases (not merge keys) against a limit; a document with many is its.
    if (next < t.length || this.aliasUses > 100) throw GIVE_UP;
    return { root: node, value: node.value };
  }

  // --- lines ---------------------------------------------------------------------------------

  /** Spaces at the start of the line that starts at p. */
  private indent(p: number): number {
    let i = p;
    while (this.t.charCodeAt(i) === SPACE) i++;
    return i - p;
  }

  /** The end of the line holding p: the offset after its newline (or the text's end). */
  private lineEnd(p: number): number {
    const n = this.t.indexOf('\n', p);
    return n < 0 ? this.t.length : n + 1;
  }

  /**
   * After a value ending at p: only spaces and a comment may follow on its line. Returns the start
   * of the next line.
   */
  private restOfLine(p: number): number {
    const t = this.t;
    let i = p;
    while (t.charCodeAt(i) === SPACE) i++;
    if (i >= t.length) return t.length;
    const c = t.charCodeAt(i);
    if (c === NL) return i + 1;
    if (c === HASH && (i === p ? i === 0 || t.charCodeAt(i - 1) === SPACE || t.charCodeAt(i - 1) === NL : true)) return this.lineEnd(i);
    throw GIVE_UP;
  }

  /** From a line start p: the start of the next line holding content (not blank, not a comment). */
  private nextContent(p: number): number {
    const t = this.t;
    let i = p;
    while (i < t.length) {
      const j = i + this.indent(i);
      const c = t.charCodeAt(j);
      if (j >= t.length) return t.length;
      if (c === NL) i = j + 1;
      else if (c === HASH) i = this.lineEnd(j);
      else return i;
    }
    return t.length;
  }

  /** True when a comment line at minIndent or deeper lies between two line starts. */
  private commentBetween(from: number, to: number, minIndent: number): boolean {
    for (let i = from; i < to; i = this.lineEnd(i)) {
      const ind = this.indent(i);
      if (this.t.charCodeAt(i + ind) === HASH && ind >= minIndent) return true;
    }
    return false;
  }

  private isSeqMark(p: number): boolean {
    const c = this.t.charCodeAt(p + 1);
    return this.t.charCodeAt(p) === DASH && (c === SPACE || c === NL || p + 1 >= this.t.length);
  }

  // --- block collections -------------------------------------------------------------------

  /**
   * A block mapping whose first key is at p, in column col. Returns the map and the start of the
   * first line after it (a line less indented, or the text's end).
   */
  private blockMap(p: number, col: number): { value: FastMap; next: number; end2: number } {
    this.deeper();
    try {
      return this.blockMapEntries(p, col);
    } finally {
      this.depth--;
    }
  }

  /** Deeper than any topology nests: left to the library, which says so (HA1001). */
  private deeper(): void {
    if (++this.depth > 64) throw GIVE_UP;
  }

  private blockMapEntries(p: number, col: number): { value: FastMap; next: number; end2: number } {
    const t = this.t;
    const node: FastMap = { kind: 'map', start: p, end: p, pairs: [], value: {} };
    const names = new Set<string>();
    let k = p;
    for (;;) {
      const key = this.key(k);
      if (!key) throw GIVE_UP;
      const { value, next, end2 } = this.blockValue(key.after, col, true);
      this.addPair(node, names, key.node, key.name, value);
      node.end = end2;
      if (next >= t.length) return { value: node, next, end2: this.trailing(end2, next, col) };
      const ind = this.indent(next);
      if (ind < col) return { value: node, next, end2: this.trailing(end2, next, col) };
      if (ind > col) throw GIVE_UP;
      k = next + ind;
      if (this.isSeqMark(k)) throw GIVE_UP;
    }
  }

  /** A block sequence whose first `-` is at p, in column col. */
  private blockSeq(p: number, col: number, atKeyColumn = false): { value: FastSeq; next: number; end2: number } {
    this.deeper();
    try {
      return this.blockSeqEntries(p, col, atKeyColumn);
    } finally {
      this.depth--;
    }
  }

  private blockSeqEntries(p: number, col: number, atKeyColumn: boolean): { value: FastSeq; next: number; end2: number } {
    const t = this.t;
    const arr: unknown[] = [];
    const node: FastSeq = { kind: 'seq', start: p, end: p, items: [], value: arr };
    let d = p;
    for (;;) {
      const { value, next, end2 } = this.blockValue(d + 1, col, false);
      arr.push(value.value);
      node.items.push(value);
      node.end = end2;
      if (next >= t.length) return { value: node, next, end2: this.trailing(end2, next, col, atKeyColumn) };
      const ind = this.indent(next);
      if (ind < col) return { value: node, next, end2: this.trailing(end2, next, col, atKeyColumn) };
      d = next + ind;
      if (ind > col || !this.isSeqMark(d)) {
        // A key at the sequence's column ends a sequence written at its mapping key's column.
        if (ind === col && atKeyColumn && this.key(d)) return { value: node, next, end2: this.trailing(end2, next, col, atKeyColumn) };
        throw GIVE_UP;
      }
    }
  }

  /**
   * Where a block collection's node ends (the library's range[2], which its parent's range ends
   * at): after its last entry, or, when comment lines at its indentation or deeper follow that
   * entry, at the next content (the text's end). A sequence written at its key's column takes no
   * comment in the library's reading of it; what the library does there is left to it.
   */
  private trailing(end2: number, next: number, col: number, atKeyColumn = false): number {
    if (next <= end2 || !this.commentBetween(end2, next, col)) return end2;
    if (atKeyColumn) throw GIVE_UP;
    return next >= this.t.length ? this.t.length : next + this.indent(next);
  }

  /**
   * Where a value written on its key's or dash's line ends (the library's range[2]): after its
   * line, and after the comment lines below it that are deeper than its collection's column col
   * (with the blank lines between them).
   */
  private absorb(from: number, col: number): number {
    const t = this.t;
    let end = from;
    let shallow = false;
    for (let i = from; i < t.length; ) {
      const j = i + this.indent(i);
      if (j >= t.length) break;
      const c = t.charCodeAt(j);
      if (c === NL) {
        i = j + 1;
        continue;
      }
      if (c !== HASH) break;
      const e = this.lineEnd(j);
      if (j - i > col) {
        // A deeper comment after a shallower one: how the library splits them is left to it.
        if (shallow) throw GIVE_UP;
        end = e;
      } else shallow = true;
      i = e;
    }
    return end;
  }

  /**
   * The value after a mapping key's `:` or a sequence's `-` at p, in a collection at column col.
   * Returns the value node, the start of the next content line, and where the value's node ends
   * (the library's range[2]: its line's end, or a block collection's own end).
   */
  private blockValue(p: number, col: number, inMap: boolean): { value: FastNode; next: number; end2: number } {
    const t = this.t;
    let v = p;
    while (t.charCodeAt(v) === SPACE) v++;
    let anchor: string | undefined;
    if (t.charCodeAt(v) === 38 /* & */) {
      const e = this.nameEnd(v + 1);
      anchor = t.slice(v + 1, e);
      if (!ANCHOR.test(anchor) || t.charCodeAt(e) !== SPACE && t.charCodeAt(e) !== NL && e < t.length) throw GIVE_UP;
      this.anchors.set(anchor, null);
      v = e;
      while (t.charCodeAt(v) === SPACE) v++;
    }
    const c = t.charCodeAt(v);
    let result: { value: FastNode; next: number; end2: number };
    if (v >= t.length || c === NL || (c === HASH && v > p)) {
      // Nothing on this line: the value is the block below, or empty.
      const lineNext = this.restOfLine(v);
      const next = this.nextContent(lineNext);
      const ind = next < t.length ? this.indent(next) : -1;
      if (ind > col) {
        const q = next + ind;
        if (this.isSeqMark(q)) result = this.blockSeq(q, ind);
        else if (this.key(q)) result = this.blockMap(q, ind);
        else throw GIVE_UP;
      } else if (ind === col && inMap && this.isSeqMark(next + ind)) {
        result = this.blockSeq(next + ind, ind, true);
      } else {
        if (anchor !== undefined) throw GIVE_UP;
        // Where the library ends an empty value followed by a comment depends on what comes after
        // (blank lines, the text's end), and an empty sequence entry's end on the comments before
        // it: such values are left to it.
        if (!inMap || c === HASH || this.commentBetween(lineNext, next, 0)) throw GIVE_UP;
        return { value: this.scalar(v, v, null), next, end2: v };
      }
    } else {
      if (c === DASH && this.isSeqMark(v)) throw GIVE_UP;
      const key = !inMap && anchor === undefined ? this.key(v) : undefined;
      if (key) {
        // `- key: value`: a mapping inside the sequence entry, at the key's column.
        result = this.blockMap(v, v - this.lineStart(v));
      } else {
        const value = this.inline(v, false);
        const lineNext = this.restOfLine(this.afterInline);
        const next = this.nextContent(lineNext);
        if (next < t.length && this.indent(next) > col) throw GIVE_UP;
        result = { value, next, end2: this.absorb(lineNext, col) };
      }
    }
    if (anchor !== undefined) this.setAnchor(anchor, result.value);
    return result;
  }

  private lineStart(p: number): number {
    return this.t.lastIndexOf('\n', p - 1) + 1;
  }

  /**
   * A mapping key at p, up to and with its `: `: its node, its name (undefined for `<<`), and the
   * offset after the colon. Undefined when the line at p is not a `key: value` line.
   */
  private key(p: number): { node: FastScalar; name: string | undefined; after: number } | undefined {
    const t = this.t;
    const c = t.charCodeAt(p);
    let end: number;
    let name: string | undefined;
    let colon: number;
    if (c === 34 || c === 39) {
      let q: { value: string; end: number };
      try {
        q = this.quoted(p);
      } catch (e) {
        if (e === GIVE_UP) return undefined;
        throw e;
      }
      end = q.end;
      name = q.value;
      colon = end;
      while (t.charCodeAt(colon) === SPACE) colon++;
      if (t.charCodeAt(colon) !== COLON) return undefined;
    } else {
      // A flow collection, an anchor, an alias or another indicator starts no key taken here.
      if ('{[&*!|>%@`#?,]}'.includes(t[p] ?? '#')) return undefined;
      // A plain key ends at the first `: ` (or `:` at the line's end) on the line.
      let i = p;
      for (;;) {
        const ch = t.charCodeAt(i);
        if (i >= t.length || ch === NL || (ch === HASH && t.charCodeAt(i - 1) === SPACE)) return undefined;
        if (ch === COLON) {
          const n = t.charCodeAt(i + 1);
          if (n === SPACE || n === NL || i + 1 >= t.length) break;
        }
        i++;
      }
      colon = i;
      end = i;
      while (t.charCodeAt(end - 1) === SPACE) end--;
      name = t.slice(p, end);
      if (name === '<<') {
        const node: FastScalar = { kind: 'scalar', start: p, end, value: undefined };
        return { node, name: undefined, after: colon + 1 };
      }
      if (!KEY.test(name) || typeof plainValue(name) !== 'string') throw GIVE_UP;
    }
    if (end - p > 1024) throw GIVE_UP;
    const node: FastScalar = { kind: 'scalar', start: p, end, value: name };
    return { node, name, after: colon + 1 };
  }

  // --- inline values ----------------------------------------------------------------------------

  /** Where the last inline value read ended (after a flow value, after its trailing spaces). */
  private afterInline = 0;

  /** A value written on one line at p: a flow collection, a quoted or plain scalar, an alias. */
  private inline(p: number, flow: boolean): FastNode {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === 123 /* { */ || c === 91 /* [ */) return this.flowCollection(p);
    if (c === 42 /* * */) {
      const e = this.nameEnd(p + 1);
      const name = t.slice(p + 1, e);
      const target = this.anchors.get(name);
      if (!target || !ANCHOR.test(name)) throw GIVE_UP;
      this.aliasUses++;
      const node: FastAlias = { kind: 'alias', start: p, end: e, target, value: target.value };
      this.afterInline = e;
      return node;
    }
    if (c === 34 || c === 39) {
      const q = this.quoted(p);
      this.afterInline = q.end;
      return this.scalar(p, q.end, q.value);
    }
    // Plain: not starting with an indicator (a `-` starts one only before a space).
    if ('?:,]}!|>%@`&#'.includes(t[p]!) || (c === DASH && this.isSeqMark(p))) throw GIVE_UP;
    let i = p;
    for (;;) {
      const ch = t.charCodeAt(i);
      if (i >= t.length || ch === NL) break;
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) break;
      if (ch === COLON) {
        const n = t.charCodeAt(i + 1);
        if (n === SPACE || n === NL || i + 1 >= t.length) throw GIVE_UP;
        if (flow && (n === 44 || n === 93 || n === 125)) throw GIVE_UP;
      }
      if (flow && (ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125)) break;
      i++;
    }
    let end = i;
    while (t.charCodeAt(end - 1) === SPACE) end--;
    this.afterInline = end;
    return this.scalar(p, end, plainValue(t.slice(p, end)));
  }

  private scalar(start: number, end: number, value: unknown): FastScalar {
    return { kind: 'scalar', start, end, value };
  }

  /** A one-line quoted scalar at p: its value and the offset after its closing quote. */
  private quoted(p: number): { value: string; end: number } {
    const t = this.t;
    const q = t.charCodeAt(p);
    let out = '';
    let i = p + 1;
    for (;;) {
      const e = q === 39 ? t.indexOf("'", i) : firstOf(t, i);
      const nl = t.indexOf('\n', i);
      if (e < 0 || (nl >= 0 && nl < e)) throw GIVE_UP;
      out += t.slice(i, e);
      if (q === 39) {
        if (t.charCodeAt(e + 1) === 39) {
          out += "'";
          i = e + 2;
          continue;
        }
        return { value: out, end: e + 1 };
      }
      if (t.charCodeAt(e) === 34) return { value: out, end: e + 1 };
      // A backslash escape.
      const x = t[e + 1];
      const simple = x === undefined ? undefined : ESCAPES[x];
      if (simple !== undefined) {
        out += simple;
        i = e + 2;
        continue;
      }
      const hex = x === 'x' ? 2 : x === 'u' ? 4 : 0;
      const digits = t.slice(e + 2, e + 2 + hex);
      if (!hex || !/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) throw GIVE_UP;
      const code = parseInt(digits, 16);
      if (code >= 0xd800 && code <= 0xdfff) throw GIVE_UP;
      out += String.fromCharCode(code);
      i = e + 2 + hex;
    }
  }

  /** A flow collection on one line at p (`{` or `[`). afterInline: after it and its trailing spaces. */
  private flowCollection(p: number): FastMap | FastSeq {
    this.deeper();
    try {
      return this.flowEntries(p);
    } finally {
      this.depth--;
    }
  }

  private flowEntries(p: number): FastMap | FastSeq {
    const t = this.t;
    const isMap = t.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    let i = p + 1;
    const skip = () => {
      while (t.charCodeAt(i) === SPACE) i++;
      const c = t.charCodeAt(i);
      if (i >= t.length || c === NL || c === HASH) throw GIVE_UP;
    };
    const node: FastMap | FastSeq = isMap ? { kind: 'map', start: p, end: p, pairs: [], value: {} } : { kind: 'seq', start: p, end: p, items: [], value: [] };
    const names = new Set<string>();
    for (;;) {
      skip();
      if (t.charCodeAt(i) === close) break;
      if (node.kind === 'seq') {
        const value = this.flowValue(i);
        i = this.afterInline;
        node.items.push(value);
        node.value.push(value.value);
      } else {
        const ks = i;
        let name: string | undefined;
        if (t.charCodeAt(i) === 34 || t.charCodeAt(i) === 39) {
          const q = this.quoted(i);
          name = q.value;
          i = q.end;
        } else {
          while (i < t.length && !' :,[]{}#\n'.includes(t[i]!)) i++;
          name = t.slice(ks, i);
          if (name === '<<') name = undefined;
          else if (!KEY.test(name) || typeof plainValue(name) !== 'string') throw GIVE_UP;
        }
        const key: FastScalar = { kind: 'scalar', start: ks, end: i, value: name };
        skip();
        if (t.charCodeAt(i) !== COLON) throw GIVE_UP;
        i++;
        const n = t.charCodeAt(i);
        if (n !== SPACE && n !== 44 && n !== close) throw GIVE_UP;
        skip();
        let value: FastNode;
        if (t.charCodeAt(i) === 44 || t.charCodeAt(i) === close) value = this.scalar(i, i, null);
        else {
          value = this.flowValue(i);
          i = this.afterInline;
        }
        this.addPair(node, names, key, name, value);
      }
      skip();
      if (t.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      if (t.charCodeAt(i) !== close) throw GIVE_UP;
      break;
    }
    i++;
    node.end = i;
    while (t.charCodeAt(i) === SPACE) i++;
    this.afterInline = i;
    return node;
  }

  /**
   * Adds an entry to a mapping and its value: a merge key merges (one per mapping here), a
   * repeated key is left to the library (which reports it).
   */
  private addPair(map: FastMap, names: Set<string>, key: FastScalar, name: string | undefined, value: FastNode): void {
    if (name === undefined) {
      if (map.pairs.some((q) => q.name === undefined)) throw GIVE_UP;
      this.merge(map.value, value);
    } else {
      if (names.has(name)) throw GIVE_UP;
      names.add(name);
      set(map.value, name, value.value);
    }
    map.pairs.push({ key, name, value });
  }

  /** A value inside a flow collection at p; afterInline: after it and its trailing spaces. */
  private flowValue(p: number): FastNode {
    const t = this.t;
    let v = p;
    let anchor: string | undefined;
    if (t.charCodeAt(v) === 38) {
      const e = this.nameEnd(v + 1);
      anchor = t.slice(v + 1, e);
      if (!ANCHOR.test(anchor) || t.charCodeAt(e) !== SPACE) throw GIVE_UP;
      this.anchors.set(anchor, null);
      v = e;
      while (t.charCodeAt(v) === SPACE) v++;
    }
    const value = this.inline(v, true);
    let i = this.afterInline;
    while (t.charCodeAt(i) === SPACE) i++;
    // `[a: b]` (a mapping inside a flow sequence) and the like are left to the library.
    if (t.charCodeAt(i) === COLON) throw GIVE_UP;
    this.afterInline = i;
    if (anchor !== undefined) this.setAnchor(anchor, value);
    return value;
  }

  private nameEnd(p: number): number {
    let i = p;
    while (i < this.t.length && !' \n,[]{}'.includes(this.t[i]!)) i++;
    return i;
  }

  // --- anchors and merge keys -------------------------------------------------------------

  private setAnchor(name: string, node: FastNode): void {
    if (node.kind === 'alias' || this.holdsAliasOrAnchor(node)) throw GIVE_UP;
    this.anchors.set(name, node);
    this.anchored.add(node);
  }

  private readonly anchored = new Set<FastNode>();

  /** True when a node below this one is an alias or carries an anchor. */
  private holdsAliasOrAnchor(node: FastNode): boolean {
    const below = node.kind === 'map' ? node.pairs.map((q) => q.value) : node.kind === 'seq' ? node.items : [];
    return below.some((n) => n.kind === 'alias' || this.anchored.has(n) || this.holdsAliasOrAnchor(n));
  }

  /**
   * `<<: *a` or `<<: [*a, *b]`: each source mapping's entries that the mapping lacks so far, in
   * the source's order, as fresh values (the library converts a source anew at each merge).
   */
  private merge(obj: Record<string, unknown>, value: FastNode): void {
    const sources = value.kind === 'seq' ? value.items : [value];
    this.aliasUses -= sources.length;
    for (const s of sources) {
      if (s.kind !== 'alias' || s.target.kind !== 'map') throw GIVE_UP;
      for (const q of s.target.pairs) {
        if (q.name === undefined) throw GIVE_UP;
        if (!Object.prototype.hasOwnProperty.call(obj, q.name)) set(obj, q.name, fresh(q.value));
      }
    }
  }
}

/** A new value of a node that holds no alias (merge sources are checked for that). */
function fresh(node: FastNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(fresh);
  if (node.kind === 'alias') throw GIVE_UP;
  const obj: Record<string, unknown> = {};
  for (const q of node.pairs) {
    if (q.name === undefined) throw GIVE_UP;
    set(obj, q.name, fresh(q.value));
  }
  return obj;
}

/** Sets a property the way the library does: an inherited name (`constructor`) becomes an own one. */
function set(obj: Record<string, unknown>, name: string, value: unknown): void {
  if (name in obj) Object.defineProperty(obj, name, { value, writable: true, enumerable: true, configurable: true });
  else obj[name] = value;
}

/** The first `"` or `\` from i in t, or -1. */
function firstOf(t: string, i: number): number {
  const a = t.indexOf('"', i);
  const b = t.indexOf('\\', i);
  if (a < 0) return -1;
  return b >= 0 && b < a ? b : a;
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ' };
