/**
 * XML text -> XmlElement tree, for CIBs read from a cluster or a file: a strict, single-pass,
 * non-recursive parser for the XML a CIB is (elements, attributes, comments, processing
 * instructions, CDATA, text). Text content, comments and processing instructions carry no meaning
 * in a CIB and are dropped after being checked. A document type declaration is refused outright,
 * and so is any entity reference other than XML's five predefined ones and character references:
 * a CIB never needs them, and refusing them keeps entity expansion (billion laughs, external
 * entities) out of reach. Malformed input is an error value with its line and column, never an
 * exception. Written for this project instead of a general parser because the CIBs it reads can
 * be megabytes with tens of thousands of elements: one pass with little garbage is several times
 * faster, which `hactl diff` needs.
 */
import type { XmlElement } from './tree.js';

export interface XmlParseError {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; error: XmlParseError };

class Syntax extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
// Characters XML 1.0 forbids anywhere in a document.
const ILLEGAL_CHARS = ['\ufffe', '\uffff'];
for (let c = 0; c < 0x20; c++) if (c !== 0x9 && c !== 0xa && c !== 0xd) ILLEGAL_CHARS.push(String.fromCharCode(c));

/**
 * The offset of the first character XML forbids, or -1. One search per character: V8 looks for a
 * single character with memchr, several times faster over a large document than a character
 * class in a regular expression.
 */
function firstIllegal(text: string): number {
  let first = -1;
  for (const c of ILLEGAL_CHARS) {
    const i = text.indexOf(c);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  return first;
}
const REF = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][A-Za-z0-9._-]*)?(;?)/g;

function legalCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Checks the references in `s` (which starts at `offset` in the document) and, when `decode` is
 * set, returns `s` with them replaced by the characters they stand for.
 */
function references(s: string, offset: number, decode: boolean): string {
  if (!s.includes('&')) return s;
  return s.replace(REF, (whole: string, ref: string | undefined, semi: string, at: number) => {
    if (!ref || !semi) throw new Syntax('a "&" that does not start a reference (write &amp;)', offset + at);
    if (ref.startsWith('#')) {
      const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!legalCodePoint(cp)) throw new Syntax(`character reference ${whole} is not a legal XML character`, offset + at);
      return decode ? String.fromCodePoint(cp) : whole;
    }
    const c = PREDEFINED[ref];
    if (c === undefined) throw new Syntax(`the entity reference ${whole} is not allowed in a CIB (only &lt; &gt; &amp; &apos; &quot; and character references)`, offset + at);
    return decode ? c : whole;
  });
}

// hactl diff runs for a fraction of a second: most of the parser's code never leaves V8's
// interpreter, where a loop over characters costs tens of instructions a character. Regular
// expressions run as machine code from the first call, so the common cases are matched by them.
/** An XML name, in UTF-16 code units: ASCII letters, '_', ':' and U+00C0 on first, digits, '-', '.', U+00B7 after. */
const NAME = /[A-Za-z_:\u00c0-\uffff][-A-Za-z0-9_.:\u00b7\u00c0-\uffff]*/y;
/** The usual attribute: space, a name, `="`, a value with nothing to decode or refuse, `"`. */
const PLAIN_ATTR = /[ \t\n\r]+([A-Za-z_:][-A-Za-z0-9_.:]*)="([^"<&\t\n\r]*)"/y;
/** Space up to the next markup. */
const SPACE_TO_MARKUP = /[ \t\n\r]*</y;

/**
 * An element when it is plain markup: ASCII names, plain attributes (no name twice in a tag: the
 * lookahead after each one), child elements nested up to eight deep with only space between them.
 * What it matches is well-formed and reads as what the element-by-element path builds; anything
 * else (text, comments, references, quotes of the other kind, deeper nesting) is read element by
 * element.
 */
const PLAIN_ELEMENT = (() => {
  const s = '[ \\t\\n\\r]';
  const name = '[A-Za-z_:][-A-Za-z0-9_.:]*';
  const value = '[^"<&\\t\\n\\r]*';
  let groups = 0;
  const element = (levels: number): string => {
    const tag = ++groups;
    const attr = ++groups;
    const attrs = `(?:${s}+(${name})="${value}"(?!(?:${s}+${name}="${value}")*${s}+\\${attr}=))*`;
    const inner = levels > 0 ? `|>(?:${s}*${element(levels - 1)})*${s}*</\\${tag}${s}*>` : '';
    return `<(${name})${attrs}${s}*(?:/>${inner})`;
  };
  return new RegExp(element(8), 'y');
})();
/** A plain element's name and its id attribute, if it has one. */
const PLAIN_HEAD = /<([A-Za-z_:][-A-Za-z0-9_.:]*)(?:(?:[ \t\n\r]+[A-Za-z_:][-A-Za-z0-9_.:]*="[^"<&\t\n\r]*")*?[ \t\n\r]+id="([^"<&\t\n\r]*)")?/y;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** Moves to `offset` (unfold: a folded element). */
  at(offset: number): void {
    this.pos = offset;
  }

  private fail(message: string, at = this.pos): never {
    throw new Syntax(message, at);
  }

  private skipSpace(): boolean {
    const start = this.pos;
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
    return this.pos > start;
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.text);
    if (!m) this.fail('a name was expected');
    this.pos = NAME.lastIndex;
    return m[0];
  }

  /** Comments, processing instructions, CDATA, or a refused declaration at '<' + '!' or '?'. */
  private markup(inContent: boolean): void {
    const t = this.text;
    if (t.startsWith('<!--', this.pos)) {
      const end = t.indexOf('-->', this.pos + 4);
      if (end < 0) this.fail('a comment that is never closed');
      const dashes = t.indexOf('--', this.pos + 4);
      if (dashes < end) this.fail('"--" inside a comment', dashes);
      this.pos = end + 3;
    } else if (t.startsWith('<?', this.pos)) {
      const start = this.pos;
      this.pos += 2;
      const target = this.name();
      if (target.toLowerCase() === 'xml' && (inContent || start !== (t.charCodeAt(0) === 0xfeff ? 1 : 0))) this.fail('an XML declaration that is not at the very start', start);
      const end = t.indexOf('?>', this.pos);
      if (end < 0) this.fail('a processing instruction that is never closed', start);
      this.pos = end + 2;
    } else if (inContent && t.startsWith('<![CDATA[', this.pos)) {
      const end = t.indexOf(']]>', this.pos + 9);
      if (end < 0) this.fail('a CDATA section that is never closed');
      this.pos = end + 3;
    } else if (t.startsWith('<!DOCTYPE', this.pos)) {
      this.fail('a DOCTYPE declaration is not allowed in a CIB');
    } else {
      this.fail('unexpected markup');
    }
  }

  /** Whether the last start tag read was an empty element ('/>'). */
  private empty = false;

  /** Reads a start tag at '<'; `empty` tells whether it ended with '/>'. */
  private startTag(): XmlElement {
    const t = this.text;
    this.pos++;
    const el: XmlElement = { name: this.name(), attrs: {}, children: [] };
    for (;;) {
      PLAIN_ATTR.lastIndex = this.pos;
      const plain = PLAIN_ATTR.exec(t);
      // A repeated name is left to the general path below, which reports it.
      if (plain && !Object.prototype.hasOwnProperty.call(el.attrs, plain[1]!)) {
        el.attrs[plain[1]!] = plain[2]!;
        this.pos = PLAIN_ATTR.lastIndex;
        continue;
      }
      const spaced = this.skipSpace();
      const c = t.charCodeAt(this.pos);
      if (c === 62 /* > */) {
        this.pos++;
        this.empty = false;
        return el;
      }
      if (c === 47 /* / */) {
        if (t.charCodeAt(this.pos + 1) !== 62) this.fail('">" was expected after "/"');
        this.pos += 2;
        this.empty = true;
        return el;
      }
      if (Number.isNaN(c)) this.fail(`the start tag <${el.name}> is never closed`);
      if (!spaced) this.fail('a space was expected before an attribute');
      const at = this.pos;
      const name = this.name();
      this.skipSpace();
      if (t.charCodeAt(this.pos) !== 61 /* = */) this.fail(`"=" was expected after the attribute name ${name}`);
      this.pos++;
      this.skipSpace();
      const q = t.charCodeAt(this.pos);
      if (q !== 34 && q !== 39) this.fail(`a quoted value was expected for the attribute ${name}`);
      const end = t.indexOf(q === 34 ? '"' : "'", this.pos + 1);
      if (end < 0) this.fail(`the value of the attribute ${name} is never closed`);
      const raw = t.slice(this.pos + 1, end);
      const lt = raw.indexOf('<');
      if (lt >= 0) this.fail('"<" inside an attribute value (write &lt;)', this.pos + 1 + lt);
      if (Object.prototype.hasOwnProperty.call(el.attrs, name)) this.fail(`the attribute ${name} appears twice`, at);
      // Attribute-value normalisation: literal tabs and line ends read as spaces, as in any XML parser.
      el.attrs[name] = references(/[\t\n\r]/.test(raw) ? raw.replace(/\r\n|[\t\n\r]/g, ' ') : raw, this.pos + 1, true);
      this.pos = end + 1;
    }
  }

  /** Text between markup: dropped, but it must be well-formed. */
  private checkText(start: number, end: number): void {
    // Most text in a CIB is the indentation between tags: nothing to check, nothing to copy.
    let i = start;
    while (i < end && isSpace(this.text.charCodeAt(i))) i++;
    if (i >= end) return;
    const s = this.text.slice(start, end);
    const cdataEnd = s.indexOf(']]>');
    if (cdataEnd >= 0) this.fail('"]]>" in text', start + cdataEnd);
    references(s, start, false);
  }

  /** Where each folded element's text lies (parseXmlFolded). */
  readonly folds = new Map<XmlElement, Fold>();

  /**
   * Reads the content of the elements on `stack` (innermost last) up to the end tag of the
   * outermost. An element at depth `foldDepth` (the root is at 0) that is plain markup is folded:
   * checked in one match, and built as far as its name and id.
   */
  content(stack: XmlElement[], foldDepth: number): void {
    const t = this.text;
    while (stack.length) {
      SPACE_TO_MARKUP.lastIndex = this.pos;
      let lt: number;
      if (SPACE_TO_MARKUP.test(t)) lt = SPACE_TO_MARKUP.lastIndex - 1;
      else {
        lt = t.indexOf('<', this.pos);
        if (lt < 0) this.fail(`<${stack[stack.length - 1]!.name}> is never closed`, t.length);
        this.checkText(this.pos, lt);
      }
      this.pos = lt;
      const next = t.charCodeAt(lt + 1);
      if (next === 47 /* / */) {
        const open = stack.pop()!;
        this.pos += 2;
        const at = this.pos;
        const name = this.name();
        if (name !== open.name) this.fail(`</${name}> closes <${open.name}>`, at);
        this.skipSpace();
        if (t.charCodeAt(this.pos) !== 62) this.fail(`">" was expected to end </${name}>`);
        this.pos++;
      } else if (next === 33 /* ! */ || next === 63 /* ? */) {
        this.markup(true);
      } else if (!(stack.length === foldDepth && this.fold(stack[stack.length - 1]!))) {
        const el = this.startTag();
        stack[stack.length - 1]!.children.push(el);
        if (!this.empty) stack.push(el);
      }
    }
  }

  /** Folds the element at the position into `parent` when it is plain markup. */
  private fold(parent: XmlElement): boolean {
    const t = this.text;
    const start = this.pos;
    PLAIN_ELEMENT.lastIndex = start;
    try {
      if (!PLAIN_ELEMENT.test(t)) return false;
    } catch {
      // An element too large for the expression's backtracking stack is read element by element.
      return false;
    }
    const end = PLAIN_ELEMENT.lastIndex;
    PLAIN_HEAD.lastIndex = start;
    const head = PLAIN_HEAD.exec(t)!;
    const el: XmlElement = { name: head[1]!, attrs: head[2] === undefined ? {} : { id: head[2] }, children: [] };
    parent.children.push(el);
    this.folds.set(el, { start, end });
    this.pos = end;
    return true;
  }

  /** Reads the element at the position, start tag and content. */
  element(): XmlElement {
    const el = this.startTag();
    if (!this.empty) this.content([el], 0);
    return el;
  }

  document(foldDepth?: (root: XmlElement) => number): XmlElement {
    const t = this.text;
    const bad = firstIllegal(t);
    if (bad >= 0) this.fail(`the character U+${t.charCodeAt(bad).toString(16).padStart(4, '0')} is not allowed in XML`, bad);
    // Prolog: declaration, comments, processing instructions, space.
    for (;;) {
      this.skipSpace();
      if (t.charCodeAt(this.pos) !== 60 /* < */) this.fail(this.pos >= t.length ? 'no root element' : 'text before the root element');
      const next = t.charCodeAt(this.pos + 1);
      if (next === 33 /* ! */ || next === 63 /* ? */) this.markup(false);
      else break;
    }
    const root = this.startTag();
    if (!this.empty) {
      const depth = foldDepth?.(root);
      this.content([root], depth === undefined ? 0 : depth);
    }
    // After the root: only space, comments and processing instructions.
    for (;;) {
      this.skipSpace();
      if (this.pos >= t.length) return root;
      if (t.charCodeAt(this.pos) !== 60) this.fail('text after the root element');
      const next = t.charCodeAt(this.pos + 1);
      if (next === 33 || next === 63) this.markup(false);
      else this.fail('more than one root element');
    }
  }
}

function failure(text: string, e: unknown): { ok: false; error: XmlParseError } {
  if (e instanceof Syntax) return { ok: false, error: { message: e.message, ...positionOf(text, Math.min(e.offset, text.length)) } };
  throw e;
}

/** Parses one XML document; a malformed or refused document is an error value with its position. */
export function parseXml(text: string): XmlParseResult {
  try {
    return { ok: true, root: new Parser(text).document() };
  } catch (e) {
    return failure(text, e);
  }
}

/** Where a folded element is written: from the "<" of its start tag to after its last ">". */
export interface Fold {
  start: number;
  end: number;
}

/**
 * A document whose elements at one depth were checked but not built: each folded element has
 * its name, its id attribute (if it has one) and no children until unfold() builds the rest. Two documents can then be
 * compared by the text of such elements before paying for their trees.
 */
export interface FoldedXml {
  text: string;
  root: XmlElement;
  /** The folded elements, until unfolded. */
  folds: Map<XmlElement, Fold>;
}

export type FoldedXmlResult = { ok: true; doc: FoldedXml } | { ok: false; error: XmlParseError };

/**
 * parseXml, folding the elements at the depth `foldDepth` gives for the root (the root is at 0;
 * 0 folds nothing) whose content is plain markup. Accepts and refuses exactly what parseXml does,
 * with the same errors; unfolding every fold gives parseXml's tree.
 */
export function parseXmlFolded(text: string, foldDepth: (root: XmlElement) => number): FoldedXmlResult {
  try {
    const p = new Parser(text);
    const root = p.document(foldDepth);
    return { ok: true, doc: { text, root, folds: p.folds } };
  } catch (e) {
    return failure(text, e);
  }
}

/** Builds the rest of a folded element (in place: its attributes and children) and forgets its fold. */
export function unfold(doc: FoldedXml, el: XmlElement): void {
  const fold = doc.folds.get(el);
  if (!fold) return;
  const p = new Parser(doc.text);
  p.at(fold.start);
  // Checked when folded: an error here is a bug in the folding, and surfaces as one.
  const whole = p.element();
  el.attrs = whole.attrs;
  el.children = whole.children;
  doc.folds.delete(el);
}
