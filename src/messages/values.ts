import type { MessageEntry } from './entry.js';

/**
 * HA3950-HA3999: topology values on their way into node files (src/model/rules/value-grammar.ts,
 * src/lower/file-needs.ts). A value that would change a file's meaning is refused, never escaped:
 * an escaped value is a value the operator did not write. A file a node needs that would have a
 * hole (an endpoint, pool or secret the topology lacks) is an error: a node that silently goes
 * without its nova.conf is worse than a refused topology. Partial topologies stay valid as long as
 * no node needs what is missing (a node only needs the files of the services it runs).
 */
export const VALUE_MESSAGES = {
  HA3950: {
    severity: 'error',
    message: '{what} {value} cannot be written into {file}: {reason}',
    hint: 'hactl refuses values that would change what a generated file means instead of escaping them; use plain letters, digits and - . _ /',
  },
  HA3951: {
    severity: 'error',
    message: '{file} cannot be compiled for node {node}: it needs {what}, but {reason}',
    hint: '{suggestion}',
  },
  HA3952: {
    severity: 'error',
    message: '{file} cannot be compiled for node {node}: it refers to secret {name} ({purpose}), which is not defined',
    hint: 'add it under secrets: with an env or file source (apply fills it in at push time), or list {name} under the purposes: of the secret that serves it',
  },
  HA3953: {
    severity: 'warning',
    message: 'secret {secret} is declared, but no node file, key or fence device uses it',
    hint: '{suggestion}',
  },
} as const satisfies Record<string, MessageEntry>;
