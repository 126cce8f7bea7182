/**
 * What each node-file grammar cannot take in a value. A value that fails here is refused (rule
 * value-grammar, HA3950) before anything is rendered, and the files target checks every rendered
 * value again (a value reaching a template unchecked is a bug, not an input error).
 *
 * Every check is about meaning: a character is refused when the file's real parser would read it
 * as something other than part of the value (a comment, a section, a block, an interpolation, a
 * field separator, a quote it strips), or when the parser has no defined behaviour for it.
 */

export type Grammar =
  | 'corosync'
  | 'ceph'
  | 'ceph-section'
  | 'oslo'
  | 'mycnf'
  | 'python-str'
  | 'shell'
  | 'fstab'
  | 'rbdmap'
  | 'hosts'
  | 'ifupdown'
  | 'secret-ref'
  | 'haproxy'
  | 'rabbitmq';

interface GrammarSpec {
  /** How the grammar is named in messages. */
  file: string;
  /** Characters with a meaning of their own in this grammar: char -> what it would do. */
  special: Record<string, string>;
  /** Whether blanks inside the value are a field separator (whitespace-separated formats). */
  noBlanks?: boolean;
  /** A whitelist, for grammars where anything unusual is a risk (shell). */
  only?: RegExp;
}

const COMMENT = 'starts a comment';

export const GRAMMARS: Record<Grammar, GrammarSpec> = {
  // corosync's parser (exec/coroparse.c): '{' opens and '}' closes a block, '#' at a line start
  // is a comment; a value runs to the end of the line.
  corosync: { file: 'corosync.conf', special: { '{': 'opens a block', '}': 'closes a block', '#': COMMENT } },
  // ceph's ConfUtils: '#' and ';' start a comment anywhere, '\' escapes and continues lines,
  // quotes delimit values, '$' expands metavariables ($cluster, $host, $name, $id).
  ceph: {
    file: 'ceph.conf',
    special: { '#': COMMENT, ';': COMMENT, '\\': 'escapes the next character', '"': 'quotes a value', "'": 'quotes a value', $: 'expands a metavariable' },
  },
  // A value used inside a section header: additionally no brackets and no blanks.
  'ceph-section': {
    file: 'ceph.conf section names',
    special: { '#': COMMENT, ';': COMMENT, '\\': 'escapes the next character', '"': 'quotes a value', "'": 'quotes a value', $: 'expands a metavariable', '[': 'opens a section header', ']': 'closes a section header' },
    noBlanks: true,
  },
  // oslo.config's iniparser: '$' interpolates other options, matching surrounding quotes are
  // stripped, '[' at a line start is a section, '#'/';' lines are comments; python's
  // configparser (used by tools reading the same files) also interpolates '%'.
  oslo: {
    file: 'OpenStack configuration (oslo.config INI)',
    special: {
      $: 'interpolates another option',
      '%': 'interpolates in configparser-based readers',
      '"': 'is stripped as a quote',
      "'": 'is stripped as a quote',
      '#': COMMENT,
      ';': COMMENT,
      '[': 'opens a section header',
      ']': 'closes a section header',
      '\\': 'escapes in some readers',
    },
  },
  // MySQL option files: '#'/';' comments, quotes stripped, '\' escapes (\n, \t, \s, \\).
  mycnf: { file: 'my.cnf', special: { '#': COMMENT, ';': COMMENT, '"': 'quotes a value', "'": 'quotes a value', '\\': 'escapes the next character' } },
  // A value inside a single-quoted Python string literal (Horizon's local_settings.py).
  'python-str': { file: 'local_settings.py', special: { "'": 'ends the string', '"': 'quotes a string', '\\': 'escapes the next character' } },
  // A value in a file the shell sources (rabbitmq-env.conf): a whitelist.
  shell: { file: 'a shell-sourced file', special: {}, only: /^[A-Za-z0-9._:/@+,=-]+$/ },
  fstab: { file: 'fstab', special: { '#': COMMENT, '\\': 'starts an octal escape' }, noBlanks: true },
  // /usr/bin/rbdmap: fields split at blanks, options at ',' and '=', quotes group, '#' ends a line.
  rbdmap: { file: 'rbdmap', special: { '#': COMMENT, ',': 'separates options', '=': 'separates an option from its value', "'": 'quotes an option' }, noBlanks: true },
  hosts: { file: '/etc/hosts', special: { '#': COMMENT }, noBlanks: true },
  // haproxy.cfg: words split at blanks, '#' starts a comment, '\\' escapes, quotes group words.
  haproxy: { file: 'haproxy.cfg', special: { '#': COMMENT, '\\': 'escapes the next character', '"': 'quotes a word', "'": 'quotes a word' }, noBlanks: true },
  // rabbitmq.conf (cuttlefish, sysctl-like `key = value`): '#' starts a comment, a value runs to
  // the end of the line with its blanks trimmed; hactl writes no value with blanks.
  rabbitmq: { file: 'rabbitmq.conf', special: { '#': COMMENT }, noBlanks: true },
  ifupdown: { file: 'ifupdown interfaces', special: { '#': COMMENT, '\\': 'continues a line' }, noBlanks: true },
  // The secret reference syntax {{secret:NAME|encoding…}} that apply resolves.
  'secret-ref': { file: 'secret references', special: { '{': 'opens a reference', '}': 'closes a reference', '|': 'starts an encoding', ':': 'separates a reference' }, noBlanks: true },
};

function show(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
}

/**
 * Per grammar, the values grammarProblem takes, as one pattern: printable ASCII but the grammar's
 * special characters, no blank at either end (none at all where blanks separate fields). Every
 * rendered value of a compile is checked, most of them plain: one test answers for those, and
 * grammarDetail says why for the rest (test/files/injection.test.ts holds the two to agree).
 */
const PLAIN = Object.fromEntries(
  Object.entries(GRAMMARS).map(([name, g]) => {
    const allowed = [...Array(0x7e - 0x20).keys()].map((i) => String.fromCharCode(0x21 + i)).filter((ch) => !Object.hasOwn(g.special, ch));
    const cls = allowed.map((ch) => `\\x${ch.charCodeAt(0).toString(16)}`).join('');
    return [name, new RegExp(g.noBlanks ? `^[${cls}]+$` : `^[${cls}](?:[ ${cls}]*[${cls}])?$`)];
  }),
) as Record<Grammar, RegExp>;

/** Why `value` cannot go into `grammar`, or undefined when it can. */
export function grammarProblem(grammar: Grammar, value: string): string | undefined {
  const only = GRAMMARS[grammar].only;
  if (PLAIN[grammar].test(value) && !value.includes('{{') && (!only || only.test(value))) return undefined;
  return grammarDetail(grammar, value);
}

/** grammarProblem, check by check: what the first problem of `value` is. */
export function grammarDetail(grammar: Grammar, value: string): string | undefined {
  const g = GRAMMARS[grammar];
  if (value === '') return 'it is empty';
  const nl = /[\n\r]/.exec(value);
  if (nl) return `it contains a line break (${show(nl[0])}), which would start a new line of the file`;
  // eslint-disable-next-line no-control-regex
  const ctl = /[\u0000-\u001f\u007f]/.exec(value);
  if (ctl) return `it contains the control character ${show(ctl[0])}`;
  // eslint-disable-next-line no-control-regex
  const wide = /[^\u0000-\u007f]/.exec(value);
  if (wide) return `it contains the non-ASCII character '${wide[0]}' (U+${wide[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}), which ${g.file} has no defined encoding for`;
  if (/^\s|\s$/.test(value)) return 'it starts or ends with a blank, which the parser strips';
  if (value.includes('{{')) return "it contains '{{', the start of a secret reference that apply would resolve";
  if (g.noBlanks && /\s/.test(value)) return `it contains a blank, which separates fields in ${g.file}`;
  for (const ch of value) {
    const what = g.special[ch];
    if (what) return `it contains ${show(ch)}, which ${what} in ${g.file}`;
  }
  if (g.only && !g.only.test(value)) return `it contains characters outside ${g.only.source.slice(1, -1)}, which ${g.file} could interpret`;
  return undefined;
}
