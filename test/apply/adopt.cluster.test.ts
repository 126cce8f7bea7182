/**
 * Ownership that does not guess, on a real 3-node cluster (test/testbed instance 5: fixtures/lab.yaml
 * moved to that instance's block 203.0.113.0/26, with a corosync authkey secret). The cluster's
 * configuration is built by hand with crmsh first (the HA Guide's ids: p_web, p_ip_vip, cl_probe,
 * c_..., o_...), plus an object only the operator knows. Then hactl apply: the first adopts what
 * matches (only its record is written, nothing else changes), the second changes nothing (same
 * epoch), a `crm resource stop` survives, dropping one service removes only that one, the
 * operator's object is never touched, and an object with the topology's id that differs is left
 * alone (HA5515) unless --adopt. `hactl check --node` then judges the live CIB without the topology.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { canonicalText, normalizeConfiguration } from '../../src/compile/cib/normalize.js';
import { hactl } from '../helpers/cli.js';
import { parseXmlOrThrow as parse } from '../helpers/xml.js';
import { down, epochOf, labTopology, upForApply, withAuthkey } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 5;
const skip = testbedSkip();

/** Resources and constraints, canonical: what an apply that adopts must leave as it was. */
function objects(cibXml: string): string {
  const conf = parse(cibXml).children.find((c) => c.name === 'configuration')!;
  const keep = conf.children.filter((c) => ['resources', 'constraints'].includes(c.name));
  return canonicalText(normalizeConfiguration({ name: 'configuration', attrs: {}, children: keep }));
}

describe('hactl apply on a cluster built by hand (ownership recorded, never guessed)', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topo: string;
  const apply = (file: string, ...extra: string[]) => hactl(['apply', file, '--all', '--ssh-config', tb.sshConfig, ...extra]);
  const cib = () => tb.run('n1', ['cibadmin', '--query']);
  const owned = (text: string) => /name="hactl-owned" value="([^"]*)"/.exec(text)?.[1];

  before(() => {
    ({ tb, work, topo } = upForApply({ id: ID, name: 'adopt-live', topology: labTopology('lab.yaml', 1, ID, withAuthkey), authkey: true }));
    // Built by hand: crmsh loads the configuration (its own attribute-set ids), and the operator
    // adds an object of their own with an id in hactl's style.
    const load = tb.exec('n1', ['crm', 'configure', 'load', 'update', join(work, 'out', 'clusters', 'lab', 'configure.crm')]);
    assert.equal(load.code, 0, load.stdout + load.stderr);
    tb.run('n1', ['crm', 'configure', 'primitive', 'p_handmade', 'ocf:pacemaker:Dummy']);
    tb.settle('n1');
  });
  after(() => down({ tb, work }));

  it('first apply adopts the objects that match, writing only the record; the operator object stays unmanaged', () => {
    const before = cib();
    assert.equal(owned(before), undefined, 'nothing recorded yet');
    const dry = apply(topo, '--dry-run');
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /adopts \(records as hactl's; they already match the topology\): c_web_with_ip_vip, cl_probe, .*p_web, st_n1, st_n2, st_n3/);
    assert.match(dry.stdout, /\+ primitive p_handmade/);
    const r = apply(topo, '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const after = cib();
    assert.equal(objects(after), objects(before), 'no resource or constraint changed');
    assert.match(owned(after)!, /^c_web_with_ip_vip cl_probe .*p_web st_n1 st_n2 st_n3$/);
    assert.doesNotMatch(owned(after)!, /p_handmade/);
    // crmsh's own ids are kept: the objects were not rewritten.
    assert.match(after, /id="p_ip_vip-instance_attributes"/);
  });

  it('the second apply changes nothing: CIB epoch unchanged', () => {
    const epoch = epochOf(cib());
    const r = apply(topo, '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /nothing to do/);
    assert.equal(epochOf(cib()), epoch);
  });

  it('a crm resource stop survives an apply, and the plan says it is there', () => {
    tb.run('n1', ['crm', 'resource', 'stop', 'p_web']);
    const epoch = epochOf(cib());
    const r = apply(topo, '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /nothing to do[\s\S]*~ primitive p_web {2}operator's runtime state: kept by apply\n\s*\+ meta target-role: "Stopped"/);
    assert.equal(epochOf(cib()), epoch);
    assert.match(tb.run('n1', ['crm_resource', '--resource', 'p_web', '--meta', '--get-parameter', 'target-role']), /Stopped/);
  });

  it('a topology without one service removes only that one; the stop and the operator object stay', () => {
    const doc = parseDocument(readFileSync(topo, 'utf8'));
    doc.deleteIn(['clusters', 'lab', 'services', 'extra-ip']);
    const smaller = join(work, 'smaller.yaml');
    writeFileSync(smaller, doc.toString());
    const before = cib();
    // Dropping a running service stops it: a disruption, consented to (#16's gate).
    const r = apply(smaller, '--yes', '--allow-disruption');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const after = cib();
    // The configuration only: the status keeps the removed resource's history until its stop is done.
    assert.doesNotMatch(after.slice(0, after.indexOf('<status')), /id="p_extra-ip"/);
    assert.match(after, /id="p_handmade"/);
    assert.match(tb.run('n1', ['crm_resource', '--resource', 'p_web', '--meta', '--get-parameter', 'target-role']), /Stopped/);
    // Everything else as it was.
    const without = (x: string) => objects(x.replace(/<primitive id="p_extra-ip"[\s\S]*?<\/primitive>/, ''));
    assert.equal(objects(after), without(before));
    assert.doesNotMatch(owned(after)!, /p_extra-ip/);
  });

  it('an object made by hand with an id the topology uses, and different, is left alone unless --adopt', () => {
    tb.run('n1', ['crm', 'configure', 'primitive', 'p_extra-ip', 'ocf:pacemaker:Dummy']);
    const before = cib();
    const r = apply(topo, '--yes');
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /not hactl's and different from the topology \(apply refuses; --adopt takes them over\): p_extra-ip/);
    assert.match(r.stderr, /HA5515/);
    assert.equal(epochOf(cib()), epochOf(before), 'nothing changed');
    const taken = apply(topo, '--yes', '--adopt', '--allow-disruption');
    assert.equal(taken.code, 0, taken.stdout + taken.stderr);
    const after = cib();
    assert.match(after, /<primitive id="p_extra-ip" class="ocf" provider="heartbeat" type="IPaddr2"/);
    assert.match(owned(after)!, /p_extra-ip/);
    assert.match(after, /id="p_handmade"/);
  });

  it('hactl check --node reads the live CIB over SSH and rehearses every node and pair without the topology', () => {
    const r = hactl(['check', '--node', 'n1', '--ssh-config', tb.sshConfig, '--json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const j = JSON.parse(r.stdout) as { nodes: string[]; running: string[]; scenarios: { failed: string[]; quorate: boolean; lost: string[] }[] };
    assert.deepEqual(j.nodes, ['n1', 'n2', 'n3']);
    // p_web is stopped by the operator: not running, so not lost either.
    assert.ok(j.running.includes('p_handmade') && !j.running.includes('p_web'), j.running.join(' '));
    assert.equal(j.scenarios.length, 6);
    assert.ok(j.scenarios.every((s) => !s.quorate || s.lost.length === 0), JSON.stringify(j.scenarios));
  });
});
