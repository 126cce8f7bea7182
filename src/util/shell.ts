/**
 * The one shell-quoting function. A word made only of characters no POSIX shell treats specially
 * is left as it is (readable scripts); anything else is wrapped in single quotes, inside which a
 * shell interprets nothing, with each embedded single quote written as '\''. Python's shlex in
 * POSIX mode (crmsh's tokenizer) reads the result back to the same word.
 */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line: every word quoted. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/** Comment text on one line (a reason written in the topology may hold line breaks). */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
