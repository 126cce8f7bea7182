import type { MessageEntry } from './entry.js';

/** HA55xx-HA59xx: apply (HA55xx its inputs and secrets, HA56xx keygen). */
export const APPLY_MESSAGES = {
  HA5501: { severity: 'error', message: 'secret {secret} cannot be resolved: {detail}', hint: 'set the variable or create the file; apply reads secrets only at push time and keeps them in memory' },
  HA5502: {
    severity: 'error',
    message: 'secret {secret} holds a line break, tab or control character and cannot be written into {path} on {node}',
    hint: 'a value inside a configuration line must be a single line of printable text',
  },
  HA5503: { severity: 'error', message: 'node "{node}" is not in the topology', hint: 'nodes of this topology: {known}' },
  HA5504: { severity: 'error', message: 'choose the nodes: --node NODE (repeatable) or --all, not both' },
  HA5505: { severity: 'error', message: '--concurrency must be an integer from 1 to 64, not "{value}"' },
  HA5506: { severity: 'error', message: 'apply changes the nodes and needs a confirmation, but there is no terminal to ask on', hint: 'review the plan (--dry-run), then run again with --yes' },
  HA5601: { severity: 'error', message: '{file} exists; hactl keygen does not overwrite a key', hint: 'use --force to replace it (every node of the cluster then needs the new key: hactl apply)' },
  HA5602: { severity: 'error', message: 'cannot write the key to {file}: {detail}' },
} as const satisfies Record<string, MessageEntry>;
