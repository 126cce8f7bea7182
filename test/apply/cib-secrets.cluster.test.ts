/**
 * Pacemaker CIB secrets on a real 3-node cluster (test/testbed instance 8; security review M6):
 * resource parameters given as { secret: NAME } are lrm:// in the pushed CIB, and apply installs
 * their values where pacemaker-execd and pacemaker-fenced read them. Proof that Pacemaker resolved
 * them: ocf:pacemaker:Dummy writes its state file at the path its `state` parameter names, so the
 * state file appears at the secret path (on the node running web, and on every node running the
 * probe clone, whose anonymous instances share the primitive's id); the fence devices, whose
 * fence_dummy status file is a CIB secret too, start and monitor without a failure. No value is in
 * the CIB, in apply's output or in a diff, and a second apply has nothing to do (no drift).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hactl } from '../helpers/cli.js';
import { down, labTopology, upForApply } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 8;
const skip = testbedSkip();
const WEB_STATE = '/run/hactl-cibsecret-web.state';
const PROBE_STATE = '/run/hactl-cibsecret-probe.state';
const FENCE_STATUS = '/run/hactl-cibsecret-fence.status';
const ENV = { HACTL_WEB_STATE: WEB_STATE, HACTL_FENCE_STATUS: FENCE_STATUS };

describe('Pacemaker CIB secrets on a live cluster (security M6)', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topoFile: string;
  before(() => {
    const topology = labTopology('lab2.yaml', 2, ID, (doc) => {
      doc.set('secrets', { 'web-state': { env: 'HACTL_WEB_STATE' }, 'probe-state': { file: 'probe-state' }, 'fence-status': { env: 'HACTL_FENCE_STATUS' } });
      doc.setIn(['defaults', 'fencing', 'params', 'status_file'], { secret: 'fence-status' });
      doc.setIn(['clusters', 'lab', 'services', 'web', 'params'], { state: { secret: 'web-state' } });
      doc.setIn(['clusters', 'lab', 'services', 'probe', 'params'], { state: { secret: 'probe-state' } });
    });
    ({ tb, work, topo: topoFile } = upForApply({ id: ID, name: 'cibsecrets', topology, files: { 'probe-state': `${PROBE_STATE}\n` } }));
  });
  after(() => down({ tb, work }));

  it('execd and fenced resolve lrm:// from the files apply installs; nothing shows a value; no drift', () => {
    const r = hactl(['apply', topoFile, '--all', '--yes', '--allow-disruption', '--ssh-config', tb.sshConfig], { env: ENV });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const v of Object.values(ENV)) assert.ok(!(r.stdout + r.stderr).includes(v), `${v} in apply's output`);

    // Wait for the cluster to settle, then read where web runs.
    tb.settle('n1');
    const mon = tb.run('n1', ['crm_mon', '-1', '-r']);
    assert.doesNotMatch(mon, /Failed (Resource|Fencing) Actions/, mon);
    for (const n of ['n1', 'n2', 'n3']) assert.match(mon, new RegExp(`st_${n}\\s+\\(stonith:fence_dummy\\):\\s+Started`), mon);
    const web = /p_web\s+\(ocf:pacemaker:Dummy\):\s+Started (n\d)/.exec(mon)?.[1];
    assert.ok(web, mon);

    // Dummy made its state file where the secret value says: execd substituted it.
    assert.equal(tb.exec(web, ['test', '-f', WEB_STATE]).code, 0, `no ${WEB_STATE} on ${web}:\n${mon}`);
    for (const n of tb.nodes) {
      assert.equal(tb.exec(n, ['test', '-f', PROBE_STATE]).code, 0, `no ${PROBE_STATE} on ${n}`);
      if (n !== web) assert.notEqual(tb.exec(n, ['test', '-e', WEB_STATE]).code, 0);
      // The secret files: root-only, as cibsecret lays them out.
      const ls = tb.run(n, ['stat', '-c', '%a %U %n', '/var/lib/pacemaker/lrm/secrets', '/var/lib/pacemaker/lrm/secrets/p_probe', '/var/lib/pacemaker/lrm/secrets/p_probe/state', '/var/lib/pacemaker/lrm/secrets/p_probe/state.sign']);
      assert.deepEqual(ls.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' ')), ['700 root', '700 root', '600 root', '600 root'], ls);
      // pacemaker's own cibsecret agrees with the files (value and MD5).
      assert.equal(tb.run(n, ['cibsecret', 'get', 'p_probe', 'state']).trim(), PROBE_STATE);
    }

    const cib = tb.run('n1', ['cibadmin', '-Q']);
    assert.match(cib, /name="state" value="lrm:\/\/"/);
    assert.match(cib, /name="status_file" value="lrm:\/\/"/);
    for (const v of [WEB_STATE, PROBE_STATE, FENCE_STATUS]) assert.ok(!cib.includes(v), `${v} in the CIB`);
    const shown = tb.run('n1', ['crm', 'configure', 'show', 'p_web']);
    assert.match(shown, /state="?lrm:\/\/"?/);

    const again = hactl(['apply', topoFile, '--all', '--dry-run', '--ssh-config', tb.sshConfig], { env: ENV });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to do/);
    const diff = hactl(['diff', topoFile, '--cluster', 'lab', '--node', 'n1', '--ssh-config', tb.sshConfig]);
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  });
});
