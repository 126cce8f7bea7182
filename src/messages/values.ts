import type { MessageEntry } from './entry.js';

/**
 * HA3950-HA3999: topology values on their way into node files (src/model/rules/value-grammar.ts,
 * src/model/rules/node-file-needs.ts). A value that would change a file's meaning is refused,
 * never escaped: an escaped value is a value the operator did not write. A file that would have a
 * hole (an endpoint, pool or secret the topology lacks) is not compiled, with a warning: partial
 * topologies (Pacemaker only, a few OpenStack services) stay valid.
 */
export const VALUE_MESSAGES = {
  HA3950: {
    severity: 'error',
    message: '{what} {value} cannot be written into {file}: {reason}',
    hint: 'hactl refuses values that would change what a generated file means instead of escaping them; use plain letters, digits and - . _ /',
  },
  HA3951: {
    severity: 'warning',
    message: '{file} is not compiled for node {node}: it needs {what}, but {reason}',
    hint: '{suggestion}',
  },
  HA3952: {
    severity: 'warning',
    message: '{file} is not compiled for node {node}: it refers to secret {name} ({purpose}), which is not defined',
    hint: 'add it under secrets: with an env or file source; apply fills it in at push time',
  },
} as const satisfies Record<string, MessageEntry>;
