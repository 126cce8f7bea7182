/**
 * Hostile values through the one shell-quoting function: bash and Python's shlex (crmsh's
 * tokenizer) read every quoted word back unchanged; text from the topology that lands in
 * comments (a reason for disabling fencing) cannot start a statement of its own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compile } from '../../src/compile/index.js';
import { loadTopology } from '../../src/load.js';
import { shellJoin, shellQuote } from '../../src/util/shell.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['python3']);

const WORDS = [
  'plain',
  '',
  'two words',
  "it's",
  "''",
  '"double"',
  '$(touch /tmp/hactl-pwned)',
  '`id`',
  '$HOME ${x}',
  'a\\b\\',
  'semi;colon|pipe&amp>out<in',
  '#uname',
  'glob*?[a]',
  '~root',
  'ünïcödé',
  '-INFINITY',
  'name=value with spaces',
];

describe('shellQuote', { skip }, () => {
  test('bash reads every word back unchanged', () => {
    const r = spawnSync('bash', ['-c', `printf '%s\\0' ${shellJoin(WORDS)}`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), WORDS);
  });

  test("Python's shlex in POSIX mode (crmsh) reads every word back unchanged", () => {
    const r = spawnSync('python3', ['-c', 'import json,shlex,sys; print(json.dumps(shlex.split(sys.stdin.read())))'], { input: shellJoin(WORDS), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), WORDS);
  });

  test('leaves plain words readable and quotes the rest', () => {
    assert.equal(shellQuote('ocf:heartbeat:IPaddr2'), 'ocf:heartbeat:IPaddr2');
    assert.equal(shellQuote('config=/etc/nova/nova.conf'), 'config=/etc/nova/nova.conf');
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
});

describe('topology text in comments', { skip }, () => {
  test('a fencing reason with line breaks stays one comment line in configure.crm and pcs.sh', () => {
    const base = readFileSync('test/compile/fixtures/remote.yaml', 'utf8');
    const text = base.replace('    remote_nodes: [cmp2, cmp1]\n', '    remote_nodes: [cmp2, cmp1]\n    fencing: { enabled: false, reason: "lab only\\nprimitive evil ocf:pacemaker:Dummy\\nrm -rf /tmp/x" }\n');
    const r = loadTopology(text, 't.yaml');
    assert.ok(r.ok && r.topology, r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`).join('; '));
    for (const a of compile(r.model!, ['crmsh', 'pcs'])) {
      assert.match(a.content, /lab only primitive evil/, a.path);
      for (const line of a.content.split('\n')) assert.ok(!/^(primitive evil|rm -rf)/.test(line), `${a.path}: ${line}`);
    }
  });

  test('a reason with "--" or a trailing backslash still loads through real crmsh, cluster options included (security m6)', () => {
    const base = readFileSync('test/compile/fixtures/remote.yaml', 'utf8');
    const text = base.replace('    remote_nodes: [cmp2, cmp1]\n', '    remote_nodes: [cmp2, cmp1]\n    fencing: { enabled: false, reason: "lab VMs -- no BMC to fence \\\\" }\n');
    const r = loadTopology(text, 't.yaml');
    assert.ok(r.ok && r.topology, r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`).join('; '));
    const crm = compile(r.model!, ['crmsh']).find((a) => a.path.endsWith('configure.crm'))!;
    const d = mkdtempSync(join(tmpdir(), 'hactl-crmsh-'));
    try {
      writeFileSync(join(d, 'configure.crm'), crm.content);
      writeFileSync(join(d, 'cib.xml'), '<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>');
      const load = spawnSync('crm', ['-F', 'configure', 'load', 'update', join(d, 'configure.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: join(d, 'cib.xml') } });
      assert.equal(load.status, 0, load.stdout + load.stderr);
      const cib = readFileSync(join(d, 'cib.xml'), 'utf8');
      assert.match(cib, /name="stonith-enabled" value="false"/, 'the property statement after the comment was loaded');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('a parameter value ending in a backslash is refused (HA4101): crmsh cannot load it (security m6)', () => {
    const base = readFileSync('test/compile/fixtures/remote.yaml', 'utf8');
    const r = loadTopology(base.replace('configfile: "/etc/apache2/apache2.conf"', 'configfile: "C:\\\\dir\\\\"'), 't.yaml');
    const d = r.diagnostics.find((x) => x.code === 'HA4101');
    assert.ok(d, JSON.stringify(r.diagnostics.map((x) => x.code)));
    assert.match(d.message, /backslash/);
  });
});
