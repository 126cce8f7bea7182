/**
 * Control characters (tab included) shown as their Unicode control pictures: one column each, so
 * the caret stays aligned, and a topology cannot send escape sequences to the operator's terminal.
 */
export function visible(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

/** A short excerpt of the source with a caret under the offending span, like a compiler shows. */
export function codeFrame(text: string, line: number, col: number, endLine: number, endCol: number, context = 1): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const src = visible(lines[n - 1] ?? '');
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${src}`);
    if (n === line) {
      const span = endLine === line ? Math.max(1, endCol - col) : Math.max(1, src.length - col + 1);
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}${'^'.repeat(span)}`);
    }
  }
  return out.join('\n');
}
