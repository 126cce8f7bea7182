/**
 * The compiled resources against the meta-data of every agent installed here (resource-agents,
 * pacemaker, ceph-resource-agents, fence-agents): each parameter hactl sets is one the agent
 * declares, and no operation timeout is shorter than the agent advises. Agents that are not
 * installed anywhere (ocf:openstack:*) are checked by their sources in src/catalog/services.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { SERVICES } from '../../src/catalog/index.js';
import { compile } from '../../src/compile/index.js';
import { loadTopology } from '../../src/load.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { parseXmlOrThrow } from '../helpers/xml.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['crm_resource']);

const FIXTURES = ['fixtures/pixelpark.yaml', 'fixtures/havana.yaml', 'fixtures/three-controllers.yaml', 'fixtures/lab.yaml', 'test/compile/fixtures/remote.yaml', 'fixtures/current.yaml'];

function parse(text: string): XmlElement {
  // Agent meta-data carries a DOCTYPE line, which hactl's CIB parser refuses on principle.
  return parseXmlOrThrow(text.replace(/<!DOCTYPE[^>]*>/, ''));
}

function seconds(t: string): number {
  const m = /^(\d+)\s*(ms|msec|s|sec|m|min|h|hr)?$/.exec(t.trim());
  assert.ok(m, `not a duration: ${t}`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit.startsWith('ms') ? n / 1000 : unit.startsWith('m') ? n * 60 : unit.startsWith('h') ? n * 3600 : n;
}

function find(e: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  if (e.name === name) out.push(e);
  for (const c of e.children) find(c, name, out);
  return out;
}

interface Meta {
  params: Set<string>;
  /** Advised timeout per action name (the longest when an action is listed per role). */
  timeouts: Map<string, number>;
}

const cache = new Map<string, Meta | undefined>();
function metadata(agent: string): Meta | undefined {
  if (!cache.has(agent)) {
    const r = spawnSync('crm_resource', ['--show-metadata', agent], { encoding: 'utf8' });
    if (r.status !== 0) cache.set(agent, undefined);
    else {
      const root = parse(r.stdout);
      const timeouts = new Map<string, number>();
      for (const a of find(root, 'action')) {
        if (a.attrs.timeout) timeouts.set(a.attrs.name!, Math.max(timeouts.get(a.attrs.name!) ?? 0, seconds(a.attrs.timeout)));
      }
      cache.set(agent, { params: new Set(find(root, 'parameter').map((p) => p.attrs.name!)), timeouts });
    }
  }
  return cache.get(agent);
}

/** Operations the catalogue keeps shorter than the agent advises, on purpose and saying why. */
const deliberate = new Set(
  SERVICES.flatMap((e) =>
    e.processes.flatMap((p) => {
      const agents = typeof p.agent === 'string' ? [p.agent] : Object.values(p.agent.since);
      return p.operations.filter((o) => o.belowAdvised).flatMap((o) => agents.map((a) => `${a} ${o.name}`));
    }),
  ),
);

describe('compiled resources against installed agents', { skip }, () => {
  const primitives: XmlElement[] = [];
  for (const f of FIXTURES) {
    const r = loadTopology(readFileSync(f, 'utf8'), f);
    assert.ok(r.ok && r.topology, f);
    for (const a of compile(r.model!, ['cib'])) primitives.push(...find(parse(a.content), 'primitive'));
  }
  const agentOf = (p: XmlElement) => (p.attrs.provider ? `${p.attrs.class}:${p.attrs.provider}:${p.attrs.type}` : `${p.attrs.class}:${p.attrs.type}`);
  const installed = [...new Set(primitives.map(agentOf))].filter((a) => metadata(a)).sort();

  test('the agents hactl adds itself are installed here, so this test checks something', () => {
    for (const a of ['ocf:heartbeat:IPaddr2', 'ocf:heartbeat:Filesystem', 'ocf:heartbeat:mysql', 'ocf:heartbeat:apache', 'ocf:ceph:rbd', 'ocf:pacemaker:remote', 'stonith:fence_ipmilan']) {
      assert.ok(installed.includes(a), `${a} is not installed (bash .ci/install-deps)`);
    }
  });

  for (const agent of installed) {
    test(`${agent}: declared parameters, timeouts no shorter than advised`, () => {
      const meta = metadata(agent)!;
      for (const p of primitives.filter((x) => agentOf(x) === agent)) {
        for (const nv of find(p, 'instance_attributes').flatMap((ia) => ia.children)) {
          // pcmk_* parameters are the fencer's own, valid for every fence device.
          if (nv.attrs.name!.startsWith('pcmk_')) continue;
          assert.ok(meta.params.has(nv.attrs.name!), `${p.attrs.id}: ${agent} has no parameter ${nv.attrs.name}`);
        }
        for (const op of find(p, 'op')) {
          const advised = meta.timeouts.get(op.attrs.name!);
          if (advised === undefined) continue;
          if (deliberate.has(`${agent} ${op.attrs.name}`)) {
            assert.ok(seconds(op.attrs.timeout!) < advised, `${p.attrs.id}: ${op.attrs.name} is marked belowAdvised in the catalogue but ${op.attrs.timeout} is not below the ${advised}s advised`);
            continue;
          }
          assert.ok(seconds(op.attrs.timeout!) >= advised, `${p.attrs.id}: ${op.attrs.name} timeout ${op.attrs.timeout} is shorter than the ${advised}s ${agent} advises`);
        }
      }
    });
  }
});
