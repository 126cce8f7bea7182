/**
 * HA review C4 on a real 3-node cluster (test/testbed instance 2): a Grizzly topology running the
 * catalogue's RabbitMQ (ocf:rabbitmq:rabbitmq-server from Debian 12's rabbitmq-server 3.10, as
 * rabbit@localhost behind the VIP). The first apply pushes the CIB, which starts the broker, and
 * then makes RabbitMQ user openstack with its permissions on the node where the broker runs; the
 * second apply finds the account as it should be and does nothing. Without Ceph here the Mnesia
 * is each node's own (no storage.rbd): the test shows the account step, not a failover.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hactl } from '../helpers/cli.js';
import { down, labTopology, upForApply } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';
import { needTools } from '../helpers/spawn.js';

const ID = 2;
const skip = testbedSkip() || needTools(['rabbitmqctl', 'rabbitmq-server']);
const PASSWORD = 'Live-rabbit-pass-51c2';
const ENV = { HACTL_TEST_RABBIT: PASSWORD };

describe('RabbitMQ user openstack made by apply on a live cluster (HA review C4)', { skip: skip || false }, () => {
  let tb: Testbed;
  let work: string;
  let topoFile: string;
  const apply = (...extra: string[]) => hactl(['apply', topoFile, '--all', '--ssh-config', tb.sshConfig, ...extra], { env: ENV });
  const ctl = (node: string, ...args: string[]) => tb.run(node, ['rabbitmqctl', '-n', 'rabbit@localhost', ...args]);

  before(() => {
    const topology = labTopology('lab2.yaml', 2, ID, (doc) => {
      doc.set('openstack', { release: 'grizzly' });
      doc.set('secrets', { rabbitmq: { env: 'HACTL_TEST_RABBIT' } });
      doc.setIn(['clusters', 'lab', 'services'], { rabbitmq: { vip: 'vip' } });
    });
    ({ tb, work, topo: topoFile } = upForApply({ id: ID, name: 'broker', topology }));
  });
  after(() => down({ tb, work }));

  it('first apply: the broker starts, then add_user and set_permissions on its node; second apply: nothing to do', () => {
    const dry = apply('--dry-run');
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /broker accounts .*\n {2}lab: RabbitMQ user openstack on vhost \/ \(rabbitmq\): read and made after the CIB push, on the node where p_rabbitmq then runs/);

    const t0 = Date.now();
    const r = apply('--yes', '--allow-disruption');
    console.log(`# first apply (CIB push, broker start, account): ${Date.now() - t0} ms`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!(r.stdout + r.stderr).includes(PASSWORD), 'the password in apply output');
    const made = /cluster lab: RabbitMQ rabbitmq on (n\d): add_user, set_permissions/.exec(r.stdout);
    assert.ok(made, r.stdout);
    const node = made[1]!;

    const mon = tb.run('n1', ['crm_mon', '-1', '-r']);
    assert.match(mon, new RegExp(`p_rabbitmq\\s+\\(ocf:rabbitmq:rabbitmq-server\\):\\s+Started ${node}`), mon);
    assert.match(ctl(node, '-s', 'list_users'), /^openstack\t\[\]$/m);
    assert.equal(ctl(node, '-s', 'list_user_permissions', 'openstack'), '/\t.*\t.*\t.*\n');
    // The broker takes the secret's password (what every OpenStack file logs in with).
    assert.equal(tb.exec(node, ['sh', '-c', 'printf "%s\\n" "$1" | rabbitmqctl -n rabbit@localhost -q authenticate_user openstack', 'auth', PASSWORD]).code, 0);

    const again = apply('--dry-run');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /nothing to do/);
    assert.match(again.stdout, new RegExp(`lab: RabbitMQ user openstack on vhost / \\(rabbitmq, on ${node}\\): exists with its password and permissions`));
    const second = apply('--yes');
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /nothing to do/);
    assert.doesNotMatch(second.stdout, /add_user|set_permissions|change_password/);
  });
});
