/**
 * Renders diagnostics as text (file:line:col: severity CODE: message, pointer, code frame, hint)
 * or as JSON. Colour is a parameter: the library never decides about terminals. Text from the
 * topology is shown with control characters made visible (see codeframe.ts).
 */
import type { Diagnostic } from '../diagnostics.js';
import { codeFrame, visible } from '../parse/codeframe.js';

export interface Paint {
  error(s: string): string;
  warning(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const NO_PAINT: Paint = { error: (s) => s, warning: (s) => s, dim: (s) => s, bold: (s) => s };

export function formatDiagnostic(d: Diagnostic, text: string | undefined, paint: Paint = NO_PAINT): string {
  // A diagnostic without a place (an unreadable file, a refused output path) shows none rather
  // than a made-up 1:1.
  const where = d.start ? `${d.file ?? '<topology>'}:${d.start.line}:${d.start.col}` : d.file;
  const sev = d.severity === 'error' ? paint.error('error') : paint.warning('warning');
  const lines = [`${where !== undefined ? `${paint.bold(visible(where))}: ` : ''}${sev} ${d.code}: ${visible(d.message)}`];
  if (d.start || d.pointer !== '') lines.push(paint.dim(`  at ${d.pointer === '' ? '/' : visible(d.pointer)}`));
  if (text !== undefined && d.start) {
    const end = d.end ?? d.start;
    const shown = d.conceal ? text.slice(0, d.start.offset) + text.slice(d.start.offset, end.offset).replace(/[^\n]/g, '*') + text.slice(end.offset) : text;
    lines.push(codeFrame(shown, d.start.line, d.start.col, end.line, end.col).replace(/^/gm, '  '));
  }
  if (d.hint) lines.push(`  hint: ${visible(d.hint)}`);
  return lines.join('\n');
}

export function formatDiagnostics(diags: readonly Diagnostic[], text: string | undefined, paint: Paint = NO_PAINT): string {
  // A frame shows neighbouring lines too: every concealed span (a secret) is hidden from every frame.
  let shown = text;
  for (const d of diags) {
    if (shown !== undefined && d.start && d.conceal) {
      const end = d.end ?? d.start;
      shown = shown.slice(0, d.start.offset) + shown.slice(d.start.offset, end.offset).replace(/[^\n]/g, '*') + shown.slice(end.offset);
    }
  }
  return diags.map((d) => formatDiagnostic(d, shown, paint)).join('\n\n');
}

/** The JSON form for editors and CI: stable keys, 1-based line/col. */
export function diagnosticsToJson(diags: readonly Diagnostic[]): object[] {
  return diags.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    line: d.start?.line,
    column: d.start?.col,
    endLine: d.end?.line,
    endColumn: d.end?.col,
    pointer: d.pointer,
    ...(d.hint ? { hint: d.hint } : {}),
  }));
}
