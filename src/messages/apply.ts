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
  HA5540: {
    severity: 'error',
    message: 'secret {secret} cannot be a CIB secret of {resource} (parameter {param}): {why}',
    hint: 'Pacemaker reads a CIB secret as the first line of a file, at most {max} bytes, trailing blanks dropped: use a single-line value of printable characters without blanks at its ends',
  },
  HA5541: {
    severity: 'error',
    message: 'secret {secret} cannot be the password of RabbitMQ user {user}: {why}',
    hint: 'rabbitmqctl reads the password as one line from stdin and trims blanks at its ends, so the broker would keep another password than the files log in with: use a single-line value without blanks at its ends',
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
  HA5570: { severity: 'error', message: 'cannot read the saved plan {file}: {detail}', hint: 'give the file apply --plan-out wrote' },
  HA5571: { severity: 'error', message: '{file} is not a saved hactl plan: {detail}', hint: 'a saved plan is what `hactl apply ... --plan-out FILE` writes (schema: hactl schema --name plan); make it again' },
  HA5572: {
    severity: 'error',
    message: 'the plan was saved by hactl {version} (plan format {format}); this is hactl {ourVersion} (plan format {ourFormat}); nothing was changed',
    hint: 'a plan is carried out by the hactl that made it: make the plan again with this hactl (apply ... --plan-out)',
  },
  HA5573: {
    severity: 'error',
    message: 'the topology {file} is not the one the plan was made from (plan for {name}: another topology digest); nothing was changed',
    hint: 'carry the plan out with the topology it was made from, or make a new plan (apply ... --plan-out)',
  },
  HA5574: {
    severity: 'error',
    message: '--plan carries out a saved plan as it is: {option} cannot be given with it',
    hint: 'the nodes and --adopt come from the plan; to change them, make a new plan with --plan-out',
  },
  HA5575: {
    severity: 'error',
    message: 'the live CIB of cluster {cluster} changed since the plan was made (configuration {was}, now {now}); nothing was changed',
    hint: 'someone changed the cluster after the plan: review a new plan (apply ... --plan-out) and carry that out',
  },
  HA5576: {
    severity: 'error',
    message: '{node}:{path} changed since the plan was made (it {how}); nothing was changed',
    hint: 'a saved plan is carried out only on the files it was made against: review a new plan (apply ... --plan-out)',
  },
  HA5577: {
    severity: 'error',
    message: 'what apply would write to {node}:{path} differs from the saved plan (secrets it holds: {secrets}); nothing was changed',
    hint: 'the topology is the same, so a secret value differs from the one the plan was made with: use the same secrets, or make a new plan',
  },
  HA5578: {
    severity: 'error',
    message: 'the digest key of {node} ({key}) changed since the plan was made; nothing was changed',
    hint: 'the plan compares files by digests keyed with that key: make a new plan (apply ... --plan-out)',
  },
  HA5579: {
    severity: 'error',
    message: 'the saved plan no longer holds: {what}; nothing was changed',
    hint: 'the cluster moved on since the plan (a resource moved, a node left, a unit changed): review a new plan (apply ... --plan-out)',
  },
  HA5580: {
    severity: 'error',
    message: 'cannot compute the keyed file digests on {node} ({key}): {detail}; nothing was changed',
    hint: 'a saved plan records files by digests keyed with a random key kept on each node; {key} must be a 32-byte file root can read and create',
  },
  HA5581: {
    severity: 'warning',
    message: 'secret {secret} is not available ({detail}): this dry run compares the files holding it without its value',
    hint: 'a dry run needs no secret; apply without --dry-run, --plan-out and --plan need every one',
  },
  HA5582: { severity: 'error', message: 'apply needs a topology file, or --plan FILE (a saved plan names its topology)' },
  HA5601: { severity: 'error', message: '{file} exists; hactl keygen does not overwrite a key', hint: 'use --force to replace it (every node of the cluster then needs the new key: hactl apply)' },
  HA5602: { severity: 'error', message: 'cannot write the key to {file}: {detail}', hint: 'the directory of the key must exist and be writable by you' },
  HA5603: { severity: 'error', message: 'cannot write the key to {file}: directory {dir} does not exist', hint: 'create it first (mkdir -p {dir}), or give a path in an existing directory' },
} as const satisfies Record<string, MessageEntry>;
