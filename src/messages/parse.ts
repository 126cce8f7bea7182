import type { MessageEntry } from './entry.js';

/** HA1xxx: reading the YAML text. */
export const PARSE_MESSAGES = {
  HA1001: { severity: 'error', message: 'YAML syntax error: {detail}' },
  HA1002: { severity: 'error', message: 'cannot read {file}: {detail}' },
  HA1003: {
    severity: 'error',
    message: "'{text}' is a boolean in YAML 1.1 and a string in YAML 1.2; its meaning is ambiguous",
    hint: "quote it ('{text}') if you mean a string, or write true/false",
  },
  HA1004: { severity: 'error', message: 'the document is empty; a topology is a mapping' },
  HA1005: { severity: 'error', message: 'YAML tag {tag} is not allowed in a topology', hint: 'write plain values' },
  HA1006: {
    severity: 'error',
    message: 'duplicate key {key} (first written at line {line})',
    hint: 'a mapping holds each key once; merge the two entries',
  },
  HA1007: { severity: 'warning', message: 'YAML warning: {detail}' },
  HA1008: {
    severity: 'error',
    message: 'a topology holds one YAML document; found {count}',
    hint: 'a line of --- starts another document: remove it, or keep the other document in a file of its own',
  },
  HA1009: {
    severity: 'error',
    message: 'a topology is YAML 1.2; this document declares YAML {version}',
    hint: 'remove the %YAML directive (YAML 1.1 reads yes/no/on/off as booleans and 0777 as octal)',
  },
  HA1010: { severity: 'error', message: 'alias *{name} names no anchor defined before it', hint: 'define &{name} on an earlier node, or fix the name' },
  HA1012: { severity: 'error', message: 'the topology has {bytes} bytes; hactl reads at most {max}', hint: 'a topology of a 1000-node cloud has about 170 KB: check that this is the right file' },
  HA1011: { severity: 'error', message: 'a merge key (<<) takes a mapping or an alias of one', hint: 'write <<: *anchor where &anchor marks a mapping' },
} as const satisfies Record<string, MessageEntry>;
