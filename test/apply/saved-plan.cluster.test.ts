/**
 * Saved plans and the dry run without secrets against a real 3-node cluster (test/testbed,
 * instance 2 = fixtures/lab2.yaml plus a corosync authkey secret kept in a file): a plan saved
 * before a concurrent CIB change is refused with nothing changed, a plan carried out unchanged does
 * what it showed, the gate asks for consent again at --plan time, and a dry run without the
 * authkey shows the plan and exits 0.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { parseSavedPlan, spliceBlock } from '../../src/apply/index.js';
import { hactl } from '../helpers/cli.js';
import { down, labTopology, upForApply, withAuthkey } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 2;
const skip = testbedSkip();

describe('saved plans and the dry run without secrets on a live cluster', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topoFile: string;
  const doc = () => parseDocument(readFileSync(topoFile, 'utf8'));
  const save = (d: ReturnType<typeof doc>) => writeFileSync(topoFile, d.toString());
  const apply = (...extra: string[]) => hactl(['apply', ...extra, '--ssh-config', tb.sshConfig], { cwd: work });
  const epochOf = (node: string) => /<cib [^>]*\bepoch="(\d+)"/.exec(tb.run(node, ['cibadmin', '--query']))![1];
  const stale = (node: string, line: string) => tb.run(node, ['sh', '-c', 'cat > /etc/hosts'], spliceBlock(tb.run(node, ['cat', '/etc/hosts']), `# BEGIN hactl\n${line}\n# END hactl\n`));
  const planOut = (name: string) => {
    // A plan is made of a quiet cluster: one still carrying out the previous test's change would
    // show an impact that no longer holds a moment later (HA5579), as it should.
    tb.settle('n1');
    const r = apply(topoFile, '--all', '--plan-out', join(work, name));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`plan written to .*${name}.*carry it out with: hactl apply --plan`));
    return { ...r, text: readFileSync(join(work, name), 'utf8') };
  };

  before(() => {
    ({ tb, work, topo: topoFile } = upForApply({ id: ID, name: 'saved-plan-live', topology: labTopology('lab2.yaml', 2, ID, withAuthkey), authkey: true }));
    const first = apply(topoFile, '--all', '--yes');
    assert.equal(first.code, 0, first.stdout + first.stderr);
  });
  after(() => down({ tb, work }));

  it('a saved plan carried out after a concurrent change to the live CIB is refused, nothing changed (exit 3)', () => {
    const d = doc();
    d.setIn(['clusters', 'lab', 'properties', 'dc-deadtime'], '6s');
    save(d);
    stale('n2', '198.51.100.99 stale-before-plan');
    const p = planOut('p1.json');
    assert.match(p.stdout, /n2:\/etc\/hosts/);
    assert.match(p.stdout, /dc-deadtime/);
    // The document: the schema's, and no secret in any form (the key, its hex, base64 or sha256).
    const saved = parseSavedPlan(p.text, 'p1.json');
    assert.deepEqual(saved.nodes, ['n1', 'n2', 'n3']);
    const key = readFileSync(join(work, 'authkey'));
    for (const form of [key.toString('hex'), key.toString('base64'), createHash('sha256').update(key).digest('hex')]) assert.ok(!p.text.includes(form.slice(0, 40)), 'the authkey is in the saved plan');
    for (const n of tb.nodes) assert.equal(tb.run(n, ['stat', '-c', '%a %s', '/var/lib/hactl/digest.key']).trim(), '600 32');
    // Someone changes the cluster after the plan was made.
    tb.run('n3', ['crm_attribute', '--type', 'crm_config', '--name', 'hactl-test-concurrent', '--update', 'yes']);
    const epoch = epochOf('n1');
    const hosts = tb.run('n2', ['cat', '/etc/hosts']);
    const r = apply('--plan', join(work, 'p1.json'), '--yes');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /HA5575: the live CIB of cluster lab changed since the plan was made \(configuration 0\.\d+, now 0\.\d+\); nothing was changed/);
    assert.equal(epochOf('n1'), epoch, 'the CIB epoch moved');
    assert.equal(tb.run('n2', ['cat', '/etc/hosts']), hosts, 'a file was written');
    assert.match(tb.run('n1', ['crm_attribute', '--type', 'crm_config', '--name', 'hactl-test-concurrent', '--query']), /value=yes/);
  });

  it('a saved plan carried out unchanged does what it showed; carried out twice, the second is refused', () => {
    const p = planOut('p2.json');
    assert.match(p.stdout, /~ n2:\/etc\/hosts/);
    const r = apply('--plan', join(work, 'p2.json'), '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /the saved plan .*p2\.json still holds/);
    assert.match(r.stdout, /lab: pushed \d+\.\d+\.\d+ -> \d+\.\d+\.\d+/);
    assert.match(tb.run('n1', ['crm_attribute', '--type', 'crm_config', '--name', 'dc-deadtime', '--query']), /value=6s/);
    assert.doesNotMatch(tb.run('n2', ['cat', '/etc/hosts']), /stale-before-plan/);
    const diff = hactl(['diff', topoFile, '--cluster', 'lab', '--node', 'n1', '--ssh-config', tb.sshConfig]);
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
    const epoch = epochOf('n1');
    const again = apply('--plan', join(work, 'p2.json'), '--yes');
    assert.equal(again.code, 3, again.stdout + again.stderr);
    assert.match(again.stderr, /HA5575/);
    assert.equal(epochOf('n1'), epoch);
  });

  it('a node file edited after the plan refuses it (exit 3), nothing changed', () => {
    stale('n3', '198.51.100.98 stale-one');
    planOut('p3.json');
    stale('n3', '198.51.100.97 edited-after-the-plan');
    const epoch = epochOf('n1');
    const r = apply('--plan', join(work, 'p3.json'), '--yes');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /HA5576: n3:\/etc\/hosts changed since the plan was made \(it has other content\); nothing was changed/);
    assert.match(tb.run('n3', ['cat', '/etc/hosts']), /edited-after-the-plan/);
    assert.equal(epochOf('n1'), epoch);
    assert.equal(apply(topoFile, '--all', '--yes').code, 0);
  });

  it('the disruption gate applies again at --plan time: refused without --allow-disruption, carried out with it', () => {
    const d = doc();
    d.setIn(['clusters', 'lab', 'services', 'probe', 'params'], { state: '/run/hactl-saved-plan.state' });
    save(d);
    const p = planOut('p4.json');
    assert.match(p.stdout, /restart p_probe one node at a time: n1, then n2, then n3/);
    assert.deepEqual(parseSavedPlan(p.text, 'p4.json').disruptions.map((x) => (x as { what: string }).what), ['restart p_probe one node at a time: n1, then n2, then n3']);
    const epoch = epochOf('n1');
    const refused = apply('--plan', join(work, 'p4.json'), '--yes');
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /HA5531: the plan interrupts running services \(restart p_probe one node at a time/);
    assert.equal(epochOf('n1'), epoch);
    const r = apply('--plan', join(work, 'p4.json'), '--yes', '--allow-disruption');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(tb.run('n1', ['crm_resource', '--resource', 'p_probe', '--get-parameter', 'state']), /hactl-saved-plan/);
  });

  it('a dry run without the authkey shows the plan and exits 0; one with another key shows it as changed (secret)', () => {
    const keyFile = join(work, 'authkey');
    const d = doc();
    d.setIn(['clusters', 'lab', 'properties', 'dc-deadtime'], '7s');
    save(d);
    renameSync(keyFile, join(work, 'authkey.away'));
    try {
      const r = apply(topoFile, '--all', '--dry-run');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stderr, /warning HA5581: secret corosync-key is not available \(cannot read .*authkey: ENOENT\)/);
      assert.match(r.stdout, /secret values not compared \(not available to this run\): 3 file\(s\)/);
      for (const n of ['n1', 'n2', 'n3']) assert.match(r.stdout, new RegExp(`\\? ${n}:/etc/corosync/authkey {2}\\(<secret:corosync-key>\\)`));
      assert.match(r.stdout, /dc-deadtime/);
      assert.doesNotMatch(r.stdout, /authkey {2}\(update/);
      // Saving or carrying out a plan needs every secret.
      const out = apply(topoFile, '--all', '--plan-out', join(work, 'p5.json'));
      assert.equal(out.code, 2, out.stdout + out.stderr);
      assert.match(out.stderr, /HA5501: secret corosync-key cannot be resolved/);
    } finally {
      renameSync(join(work, 'authkey.away'), keyFile);
    }
    // Another key locally: the node's key and this one are compared by digest, neither shown.
    const other = join(work, 'authkey.other');
    assert.equal(hactl(['keygen', other]).code, 0);
    const d2 = doc();
    d2.setIn(['secrets', 'corosync-key', 'file'], 'authkey.other');
    save(d2);
    const r = apply(topoFile, '--all', '--dry-run');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const n of ['n1', 'n2', 'n3']) assert.match(r.stdout, new RegExp(`~ ${n}:/etc/corosync/authkey {2}\\(update content: changed \\(secret\\);`));
    assert.match(r.stdout, /full restart/);
  });
});
