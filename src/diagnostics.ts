/**
 * Diagnostics are values, not exceptions: every stage returns the problems it found with a stable
 * code, the JSON Pointer of the offending value in the topology and, once positioned, its file,
 * line and column. Messages live in one catalogue (messages.ts) so codes never drift.
 */
import { MESSAGES, type Code, type MessageEntry } from './messages/index.js';
import { compareStrings } from './util/compare.js';

export type Severity = 'error' | 'warning';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
  /** 0-based character offset. */
  offset: number;
}

export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  /** JSON Pointer into the topology as written ('' is the document). */
  pointer: string;
  hint?: string;
  /** The value at the position may be a secret: reports never show it (the code frame masks it). */
  conceal?: boolean;
  file?: string;
  start?: Position;
  end?: Position;
}

type Args = Record<string, string | number>;

function fill(template: string, args: Args): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in args ? String(args[k]) : `{${k}}`));
}

/** Builds a diagnostic from the catalogue; `args` fill the message's {placeholders}. */
export function diag(code: Code, pointer: string, args: Args = {}, hint?: string): Diagnostic {
  const entry: MessageEntry = MESSAGES[code];
  const d: Diagnostic = { code, severity: entry.severity, message: fill(entry.message, args), pointer };
  const h = hint ?? (entry.hint ? fill(entry.hint, args) : undefined);
  if (h) d.hint = h;
  return d;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** JSON Pointer escaping (RFC 6901). */
export function pointerOf(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Stable order for reports: by file position, then code, then pointer. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      (a.start?.offset ?? -1) - (b.start?.offset ?? -1) ||
      compareStrings(a.code, b.code) ||
      compareStrings(a.pointer, b.pointer) ||
      compareStrings(a.message, b.message),
  );
}
