import type { MessageEntry } from './entry.js';

/**
 * HA50xx-HA54xx: diff and remote access (HA50xx reading CIBs, HA51xx the diff's inputs, HA52xx
 * SSH). Apply owns HA55xx and up in its own file.
 */
export const REMOTE_MESSAGES = {
  HA5001: { severity: 'error', message: 'cannot read {source}: {detail}' },
  HA5002: { severity: 'error', message: '{source} is not well-formed XML: {detail}', hint: 'a CIB is what `cibadmin --query` prints' },
  HA5003: { severity: 'error', message: '{source} is not a CIB: {detail}', hint: 'a CIB is what `cibadmin --query` prints' },
  HA5101: { severity: 'error', message: 'cluster "{cluster}" is not in the topology', hint: 'clusters of this topology: {known}' },
  HA5102: { severity: 'error', message: 'node "{node}" is not a member of cluster "{cluster}"', hint: 'members: {known}' },
  HA5103: { severity: 'error', message: 'the topology has no compiled CIB for cluster "{cluster}"', hint: 'the cib compile target is missing from this build' },
  HA5104: { severity: 'error', message: 'give exactly one of --node NODE, --live FILE' },
  HA5105: { severity: 'error', message: 'a topology needs --cluster NAME' },
  HA5106: { severity: 'error', message: '--from compares two saved CIBs: give --live FILE and no topology, --cluster or --node' },
  HA5107: { severity: 'error', message: 'nothing to compare', hint: 'give a TOPOLOGY (with --cluster), or --from FILE --live FILE' },
  HA5108: { severity: 'error', message: 'the topology and the live CIB cannot both come from stdin', hint: 'save one of them to a file' },
  HA5109: { severity: 'error', message: '--impact simulates a topology\'s change on a live CIB: give a TOPOLOGY with --cluster and --node or --live, not --from' },
  HA5201: { severity: 'error', message: 'refusing SSH {what} "{value}": {reason}' },
  HA5202: { severity: 'error', message: 'cannot connect to {node} over SSH: {detail}', hint: 'check the address, that sshd runs there, and --ssh-config' },
  HA5203: { severity: 'error', message: 'the host key of {node} is unknown or does not match: {detail}', hint: 'hactl checks host keys strictly; add the key to known_hosts after verifying it out of band' },
  HA5204: { severity: 'error', message: 'SSH login to {node} was refused: {detail}', hint: 'hactl runs ssh in batch mode: use a key (ssh-agent or IdentityFile in --ssh-config), never a password' },
  HA5205: { severity: 'error', message: '`{command}` on {node} failed with exit code {code}: {detail}' },
  HA5206: { severity: 'error', message: 'SSH to {node} timed out after {seconds} s' },
  HA5207: { severity: 'error', message: 'cannot run the ssh client: {detail}', hint: 'install openssh-client' },
  HA5208: { severity: 'error', message: 'SSH config file {file} does not exist' },
} as const satisfies Record<string, MessageEntry>;
