/** A short excerpt of the source with a caret under the offending span, like a compiler shows. */
export function codeFrame(text: string, line: number, col: number, endLine: number, endCol: number, context = 1): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const src = lines[n - 1] ?? '';
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${src}`);
    if (n === line) {
      const span = endLine === line ? Math.max(1, endCol - col) : Math.max(1, src.length - col + 1);
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}${'^'.repeat(span)}`);
    }
  }
  return out.join('\n');
}
