/**
 * The one string order of hactl: Unicode code points, whatever the locale (output is a function of
 * the input alone, so never localeCompare). JavaScript's `<` compares UTF-16 code units, which puts
 * U+10000 and up (surrogate pairs, 0xD800-0xDFFF) before U+E000-U+FFFF; at the first differing
 * unit the two ranges are swapped back.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
