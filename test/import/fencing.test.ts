/**
 * Typed import of fencing, in process: each CIB is imported, validated, compiled and diffed
 * against itself (roundtrip.ts). The crmsh and pcs forms of imported fencing are in
 * import.tools.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffCibs, hactlOwnership } from '../../src/diff/index.js';
import { parseXml } from '../../src/xml/parse.js';
import { cib, pdu, targetLevelsCib } from './fencing-fixtures.js';
import { roundTrip, twoNodeCorosync } from './roundtrip.js';

const COROSYNC = twoNodeCorosync('lab', { twoNode: true });

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

describe('typed import of fencing levels by pattern and by attribute', () => {
  it('are fencing.target_levels (ids kept), beside the levels of a node; the compiled levels are no drift', () => {
    const text = trip(targetLevelsCib());
    assert.match(text, /^ {6}levels: [^\n]*\n {8}n1: \[\[pdu\]\]\n {6}level_ids:\n {8}n1: \[fl-n1-1\]\n {6}target_levels: [^\n]*\n {8}- \{ attribute: rack, value: r1, levels: \[\[pdu\]\], ids: \[fl-rack-1\] \}\n {8}- \{ pattern: "\^n\[12\]\$", levels: \[\[pdu\]\], ids: \[fl-pat-1\] \}\n/m);
    assert.doesNotMatch(text, /<fencing-level/);
  });

  it('a pattern a topology cannot hold (a backslash, which crmsh would not read as one word) stays raw, with the reason', () => {
    const text = trip(targetLevelsCib('^n\\d$'));
    assert.match(text, /# fl-pat-1: a level by target-pattern "\^n\\d\$", which a topology cannot hold/);
    assert.match(text, /<fencing-level id="fl-pat-1" target-pattern="\^n\\d\$"/);
    assert.match(text, /- \{ attribute: rack, value: r1, levels: \[\[pdu\]\], ids: \[fl-rack-1\] \}/);
  });
});
