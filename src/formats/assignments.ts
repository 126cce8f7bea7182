/**
 * Files of shell variable assignments (/etc/default/sbd, /etc/default/garb): what they assign,
 * read without a shell. Import types SBD from one; apply calls two such files the same when they
 * assign the same values, whatever their comments and layout.
 */
const VARIABLE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/**
 * The assignments of a file a shell sources (/etc/default/sbd, say), as the shell reads them:
 * `NAME=value`, the value plain, in single quotes or in double quotes without expansions.
 * Anything the shell would compute (a $, a backquote, a command) is refused: hactl reads such a
 * file, it never runs it.
 */
export function parseAssignments(text: string): { ok: true; vars: Map<string, string> } | { ok: false; line: number; detail: string } {
  const vars = new Map<string, string>();
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = VARIABLE.exec(line);
    if (!m) return { ok: false, line: i + 1, detail: 'not a NAME=value assignment' };
    const value = shellValue(m[2]!);
    if (value === undefined) return { ok: false, line: i + 1, detail: `${m[1]}'s value is not a plain, quoted or empty word (the shell would expand or run it)` };
    vars.set(m[1]!, value);
  }
  return { ok: true, vars };
}

function shellValue(v: string): string | undefined {
  const s = v.replace(/\s+#.*$/, '').trim();
  const single = /^'([^']*)'$/.exec(s);
  if (single) return single[1];
  const double = /^"([^"\\$`]*)"$/.exec(s);
  if (double) return double[1];
  return /^[A-Za-z0-9_./:,@+=-]*$/.test(s) ? s : undefined;
}

/**
 * A line both a shell and systemd's EnvironmentFile= read alike (sbd.service reads its file as the
 * latter, garb-systemd sources its own): no `export` (systemd takes none), no comment after the
 * value (systemd keeps it as part of the value), quotes without expansions or a '#'.
 */
const PORTABLE = /^[A-Za-z_][A-Za-z0-9_]*=(?:"[^"\\$`#]*"|'[^'#]*'|[A-Za-z0-9_./:,@+=-]*)$/;

/**
 * Whether two files assign the same values, whatever their comments, blank lines and order: only
 * when every line of both is a comment, blank or a PORTABLE assignment, so that the answer holds
 * for whichever reader the service uses.
 */
export function sameAssignments(a: string, b: string): boolean {
  const read = (text: string) => {
    for (const raw of text.split('\n')) {
      if (raw !== '' && !raw.startsWith('#') && !PORTABLE.test(raw)) return undefined;
    }
    const r = parseAssignments(text);
    return r.ok ? r.vars : undefined;
  };
  const x = read(a);
  const y = read(b);
  if (!x || !y || x.size !== y.size) return false;
  for (const [k, v] of x) if (y.get(k) !== v) return false;
  return true;
}
