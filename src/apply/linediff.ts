/**
 * A unified line diff for the plan's file changes. Config files are small, so a plain longest
 * common subsequence over the lines between the common prefix and suffix is enough; past a size
 * bound the plan says how many lines changed instead of printing a huge diff.
 */

const MAX_CELLS = 4_000_000;

type Op = { op: ' ' | '-' | '+'; line: string };

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // dp[i][j]: LCS length of a[i..] and b[j..], flattened.
  const dp = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i * (m + 1) + j] = a[i] === b[j] ? dp[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(dp[(i + 1) * (m + 1) + j]!, dp[i * (m + 1) + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i]! });
      i++;
      j++;
    } else if (dp[(i + 1) * (m + 1) + j]! >= dp[i * (m + 1) + j + 1]!) ops.push({ op: '-', line: a[i++]! });
    else ops.push({ op: '+', line: b[j++]! });
  }
  while (i < n) ops.push({ op: '-', line: a[i++]! });
  while (j < m) ops.push({ op: '+', line: b[j++]! });
  return ops;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Unified diff hunks (`@@ -a,b +c,d @@` headers, 3 lines of context) from old to new text; empty
 * when the texts are equal.
 */
export function unifiedDiff(oldText: string, newText: string, context = 3): string[] {
  if (oldText === newText) return [];
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  if ((midA.length + 1) * (midB.length + 1) > MAX_CELLS) return [`@@ ${midA.length} line(s) replaced by ${midB.length} line(s) (too large to show) @@`];
  const ops: Op[] = [
    ...a.slice(0, pre).map((line): Op => ({ op: ' ', line })),
    ...lcsOps(midA, midB),
    ...a.slice(a.length - suf).map((line): Op => ({ op: ' ', line })),
  ];
  if (ops.every((o) => o.op === ' ')) {
    // Only the final newline differs.
    return ['@@ (only the final newline differs) @@'];
  }
  // Group changes into hunks with `context` lines around them.
  const out: string[] = [];
  let k = 0;
  let oldLine = 1;
  let newLine = 1;
  const lineNos: { o: number; n: number }[] = ops.map((o) => {
    const at = { o: oldLine, n: newLine };
    if (o.op !== '+') oldLine++;
    if (o.op !== '-') newLine++;
    return at;
  });
  while (k < ops.length) {
    while (k < ops.length && ops[k]!.op === ' ') k++;
    if (k >= ops.length) break;
    const start = Math.max(0, k - context);
    let end = k;
    // Extend while the next change is within 2*context unchanged lines.
    for (;;) {
      while (end < ops.length && ops[end]!.op !== ' ') end++;
      let gap = end;
      while (gap < ops.length && ops[gap]!.op === ' ') gap++;
      if (gap < ops.length && gap - end <= 2 * context) end = gap;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const oCount = hunk.filter((o) => o.op !== '+').length;
    const nCount = hunk.filter((o) => o.op !== '-').length;
    const oStart = oCount ? lineNos[start]!.o : lineNos[start]!.o - 1;
    const nStart = nCount ? lineNos[start]!.n : lineNos[start]!.n - 1;
    out.push(`@@ -${oStart},${oCount} +${nStart},${nCount} @@`);
    for (const o of hunk) out.push(o.op + o.line);
    k = stop;
  }
  return out;
}
