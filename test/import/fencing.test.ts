/**
 * Typed import of fencing, in process: each CIB is imported, validated, compiled and diffed
 * against itself (roundtrip.ts). The crmsh and pcs forms of imported fencing are in
 * import.tools.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffCibs, hactlOwnership } from '../../src/diff/index.js';
import { parseXml } from '../../src/xml/parse.js';
import { roundTrip, twoNodeCorosync } from './roundtrip.js';

const COROSYNC = twoNodeCorosync('lab', { twoNode: true });

/** A two-node CIB with fencing on, holding these resources, constraints and levels. */
function cib(resources: string, constraints = '', levels = ''): string {
  return `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.7"><configuration><crm_config><cluster_property_set id="o"><nvpair id="o-s" name="stonith-enabled" value="true"/><nvpair id="o-p" name="priority-fencing-delay" value="15s"/></cluster_property_set></crm_config><nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes><resources>${resources}</resources><constraints>${constraints}</constraints><fencing-topology>${levels}</fencing-topology></configuration><status/></cib>`;
}

const pdu = (map: string) =>
  `<primitive id="st_pdu" class="stonith" type="fence_apc_snmp"><instance_attributes id="st_pdu-ia"><nvpair id="st_pdu-ip" name="ip" value="198.51.100.240"/><nvpair id="st_pdu-map" name="pcmk_host_map" value="${map}"/></instance_attributes><operations><op id="st_pdu-mon" name="monitor" interval="60s"/></operations></primitive>`;

function trip(text: string): string {
  const r = roundTrip(text, 'test.xml', COROSYNC);
  assert.ok(r.ok, r.ok ? '' : `${r.stage}: ${r.category}: ${r.detail}\n${r.text ?? ''}`);
  return r.text;
}

describe('typed import of pcmk_host_map', () => {
  it('a trailing ";" and spaces around the pairs are the same map: the device is typed with its ports, and the compiled map is no drift', () => {
    for (const map of ['n1:1;n2:2;', ' n1:1; n2:2 ; ']) {
      const text = trip(cib(pdu(map)));
      assert.match(text, /^ {6}pdu:\n {8}agent: fence_apc_snmp\n {8}address: 198\.51\.100\.240\n {8}ports: \{ n1: "1", n2: "2" \}\n {8}cib: [^\n]*\n {10}id: st_pdu\n/m, map);
      assert.doesNotMatch(text, /<primitive id="st_pdu"/);
    }
  });

  it('the diff reads a map as fenced does: a trailing ";" is no change, another port is', () => {
    const live = parseXml(cib(pdu('n1:1;n2:2;')));
    const same = parseXml(cib(pdu('n1:1;n2:2')));
    const other = parseXml(cib(pdu('n1:1;n2:3')));
    assert.ok(live.ok && same.ok && other.ok);
    const a = diffCibs(same.root, live.root, hactlOwnership(live.root));
    assert.ok(a.ok && !a.diff.drift, JSON.stringify(a));
    const b = diffCibs(other.root, live.root, hactlOwnership(live.root));
    assert.ok(b.ok && b.diff.drift, 'a changed port is drift');
  });

  it('a map naming no node, or out of hactl order, stays raw with the reason', () => {
    for (const [map, why] of [
      [';', /names no node/],
      ['n2:2;n1:1;', /in another order or spelling than hactl's/],
    ] as const) {
      const text = trip(cib(pdu(map)));
      assert.match(text, new RegExp(`# st_pdu: has pcmk_host_map "${map}"[^\\n]*${why.source}`), map);
    }
  });
});
