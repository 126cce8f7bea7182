/**
 * The CIB and the node files agree: every configuration file a primitive's instance attributes
 * name (config, plugin_config, agent_config, configfile, cephconf, --config-file= in
 * additional_parameters) is compiled for every node that may run that primitive. The two targets
 * are written from different tables (catalogue params, OPENSTACK_FILES); this is where a path
 * that changed in one and not the other shows up (Icehouse's ml2_conf.ini once did).
 * Which nodes may run a primitive is read from the compiled CIB itself, not from the planner the
 * files target uses, so the check is independent of the code it checks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from '../../src/compile/index.js';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { compileFixture, FIXTURES, loadModel } from './helpers.js';

const FILE_PARAMS = ['config', 'plugin_config', 'agent_config', 'configfile', 'cephconf'];

/**
 * Files a primitive names that belong to their packages and that hactl leaves alone on purpose,
 * each with the file hactl compiles that the package's file takes in (checked to be there instead).
 */
const PACKAGED: Record<string, string> = {
  // Debian's my.cnf reads every /etc/mysql/conf.d/*.cnf: hactl's settings are a drop-in.
  '/etc/mysql/my.cnf': '/etc/mysql/conf.d/hactl.cnf',
  // Apache's own file (the agent's default is Red Hat's path); the dashboard it serves reads local_settings.py.
  '/etc/apache2/apache2.conf': '/etc/openstack-dashboard/local_settings.py',
};

function child(e: XmlElement, name: string): XmlElement {
  const c = e.children.find((x) => x.name === name);
  assert.ok(c, `no <${name}> in <${e.name}>`);
  return c;
}

interface Prim {
  id: string;
  /** Ids of the primitive and of the group/clone around it (constraints may name any of them). */
  ids: string[];
  files: string[];
}

function primitives(resources: XmlElement): Prim[] {
  const out: Prim[] = [];
  const walk = (e: XmlElement, outer: string[]) => {
    for (const c of e.children) {
      if (c.name === 'primitive') {
        const files: string[] = [];
        for (const set of c.children.filter((x) => x.name === 'instance_attributes')) {
          for (const nv of set.children) {
            const { name, value } = nv.attrs;
            if (!name || value === undefined) continue;
            if (FILE_PARAMS.includes(name)) files.push(value);
            if (name === 'additional_parameters') for (const m of value.matchAll(/--config-file[= ](\S+)/g)) files.push(m[1]!);
          }
        }
        out.push({ id: c.attrs.id!, ids: [c.attrs.id!, ...outer], files });
      } else if (c.name === 'group' || c.name === 'clone' || c.name === 'master' || c.name === 'bundle') {
        walk(c, [c.attrs.id!, ...outer]);
      }
    }
  };
  walk(resources, []);
  return out;
}

/**
 * The nodes a resource may run on under the CIB's location constraints. Only -INFINITY bans
 * restrict it; other scores are preferences, and a rule on a node attribute set at run time (a
 * ping attribute) may hold on any node. Of the bans, only the forms hactl writes are understood (a
 * ban from one node; a rule "#uname ne A and #uname ne B" that pins to A and B); any other form
 * fails the test rather than being guessed at.
 */
function allowedNodes(constraints: XmlElement, nodes: string[], ids: string[]): string[] {
  let allowed = new Set(nodes);
  for (const loc of constraints.children.filter((c) => c.name === 'rsc_location' && ids.includes(c.attrs.rsc ?? ''))) {
    if (loc.attrs.node) {
      if (loc.attrs.score === '-INFINITY') allowed.delete(loc.attrs.node);
      continue;
    }
    const rule = child(loc, 'rule');
    if (rule.attrs.score !== '-INFINITY') continue;
    const expressions = rule.children.filter((x) => x.name === 'expression');
    if (expressions.every((x) => !x.attrs.attribute?.startsWith('#'))) continue;
    assert.ok(rule.children.length === 1 || rule.attrs['boolean-op'] === 'and', `${loc.attrs.id}: unexpected rule form`);
    const pinned = rule.children.map((x) => {
      assert.ok(x.name === 'expression' && x.attrs.attribute === '#uname' && x.attrs.operation === 'ne', `${loc.attrs.id}: unexpected expression`);
      return x.attrs.value!;
    });
    allowed = new Set([...allowed].filter((n) => pinned.includes(n)));
  }
  return [...allowed].sort();
}

/** Each (primitive, file, node) the CIBs call for, with whether the node files have it. */
function crossCheck(name: string, cibs: { path: string; content: string }[]): { checked: number; missing: string[] } {
  const files = compileFixture(name);
  const missing: string[] = [];
  let checked = 0;
  for (const a of cibs) {
    const r = parseXml(a.content);
    assert.ok(r.ok, a.path);
    const configuration = child(r.root, 'configuration');
    const nodes = child(configuration, 'nodes').children.map((n) => n.attrs.uname!);
    const constraints = child(configuration, 'constraints');
    for (const p of primitives(child(configuration, 'resources'))) {
      const where = allowedNodes(constraints, nodes, p.ids);
      if (p.files.length) assert.ok(where.length, `${a.path}: ${p.id} may run nowhere`);
      for (const path of p.files) {
        const compiled = PACKAGED[path] ?? path;
        for (const node of where) {
          checked++;
          if (!files.files.has(`nodes/${node}${compiled}`)) missing.push(`${a.path}: ${p.id} names ${path}, but ${compiled} is not compiled for ${node}, which may run it`);
        }
      }
    }
  }
  return { checked, missing };
}

const cibsOf = (name: string) => compile(loadModel(name), ['cib']).filter((a) => a.path.endsWith('/cib.xml'));

for (const name of FIXTURES) {
  test(`${name}: every config file a CIB primitive names is compiled on every node that may run it`, () => {
    const { checked, missing } = crossCheck(name, cibsOf(name));
    assert.deepEqual(missing, []);
    // Not vacuous: each fixture runs its OpenStack services on two or more nodes.
    assert.ok(checked >= 20, `only ${checked} checks`);
  });
}

test('the cross-check reports a plugin_config that no node gets (the Havana path under Icehouse)', () => {
  const ml2 = '/etc/neutron/plugins/ml2/ml2_conf.ini';
  const cibs = cibsOf('three-controllers').map((a) => ({ path: a.path, content: a.content.split(`value="${ml2}"`).join('value="/etc/neutron/plugins/openvswitch/ovs_neutron_plugin.ini"') }));
  assert.notDeepEqual(cibs.map((c) => c.content), cibsOf('three-controllers').map((c) => c.content), 'the CIB names ml2_conf.ini');
  const { missing } = crossCheck('three-controllers', cibs);
  // neutron-server may run on each of the three controllers.
  assert.equal(missing.length, 3, missing.join('\n'));
  assert.ok(missing.every((m) => m.includes('p_neutron-server names /etc/neutron/plugins/openvswitch/ovs_neutron_plugin.ini')));
});
