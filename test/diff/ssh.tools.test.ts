/** `hactl diff --node` when ssh cannot reach the node (the ssh client runs; no network is used). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'hactl-diff-ssh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('exits 3 when the node cannot be reached over SSH', { skip: needTools(['ssh']) }, async () => {
  // A ProxyCommand that fails: the connection ends on this machine, never reaching the network.
  const cfg = join(dir, 'ssh_config');
  writeFileSync(cfg, 'Host *\n  ProxyCommand /bin/false\n  UserKnownHostsFile /dev/null\n');
  const r = await hactlIn(['diff', join(ROOT, 'fixtures', 'lab.yaml'), '--cluster', 'lab', '--node', 'n1', '--ssh-config', cfg]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stderr, /HA520[2-4]/);
});
