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
  HA5507: { severity: 'error', message: '{count} secret problem(s); nothing was done', hint: 'each problem is shown above at its place in the topology' },
  HA5508: {
    severity: 'error',
    message: 'cannot reach {nodes}; nothing was changed',
    hint: 'each node\'s reason is shown above; apply connects to every selected node before it reads or writes any',
  },
  HA5510: {
    severity: 'error',
    message: '{node}:{path} exists but is not a regular file (a directory or a symbolic link); hactl will not replace it',
    hint: 'hactl never destroys what it did not make: move it aside on {node}, then run apply again',
  },
  HA5511: {
    severity: 'error',
    message: '{node}:{path} is not a text file; hactl cannot place its block in it',
    hint: 'hactl keeps its lines in a marked block of a text file: restore a text {path} on {node}',
  },
  HA5512: {
    severity: 'error',
    message: 'cannot compare the live CIB of {node} with the compiled one: {detail}',
    hint: 'look at the live CIB (hactl diff --node {node}, or cibadmin --query on {node})',
  },
  HA5513: { severity: 'error', message: 'the CIB read from {node} is not well-formed XML: {detail}', hint: 'cibadmin --query on {node} should print the CIB: check that Pacemaker runs there' },
  HA5514: {
    severity: 'error',
    message: 'the corosync configuration of cluster {cluster} changes, and that must happen on every member together',
    hint: 'select {missing} as well (or --all)',
  },
  HA5515: {
    severity: 'error',
    message: "cluster {cluster} has objects with the topology's ids that hactl did not make, and they differ from the topology: {objects}; nothing was changed",
    hint: "hactl changes only what its ownership record (the cluster property hactl-owned) lists: rename them in the topology, make them match, or take them over with apply --adopt",
  },
  HA5521: {
    severity: 'error',
    message: 'secret {secret} is a corosync authkey of {bytes} byte(s); corosync reads {min} to {max} bytes (1024 to 4096 bits) and would not start',
    hint: 'point the secret at a key made by hactl keygen (256 bytes) or corosync-keygen',
  },
  HA5522: {
    severity: 'error',
    message: 'secret {secret} is shorter than {min} characters',
    hint: 'hactl masks secrets by value in everything it prints, and a short value would show through ordinary words; use a longer password (a short one is weak anyway)',
  },
  HA5530: {
    severity: 'error',
    message: 'cannot simulate the change on {node} to show what it does to running services: {detail}; nothing was changed',
    hint: 'apply shows the consequences of every CIB change before it pushes one: crm_simulate must run on {node} (it comes with Pacemaker)',
  },
  HA5531: {
    severity: 'error',
    message: 'the plan interrupts running services ({what}); nothing was changed',
    hint: 'review the impact shown above, then run again with --allow-disruption (or answer the prompt on a terminal)',
  },
  HA5601: { severity: 'error', message: '{file} exists; hactl keygen does not overwrite a key', hint: 'use --force to replace it (every node of the cluster then needs the new key: hactl apply)' },
  HA5602: { severity: 'error', message: 'cannot write the key to {file}: {detail}', hint: 'the directory of the key must exist and be writable by you' },
  HA5603: { severity: 'error', message: 'cannot write the key to {file}: directory {dir} does not exist', hint: 'create it first (mkdir -p {dir}), or give a path in an existing directory' },
} as const satisfies Record<string, MessageEntry>;
