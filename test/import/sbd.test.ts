/**
 * SBD on import, in process: a CIB and the sbd file beside it are imported, validated, compiled
 * and diffed against the CIB (roundtrip.ts). SBD becomes `sbd:` only when compile writes its
 * settings back; otherwise it runs as it is, with the reason. The compiled sbd file read by a
 * shell, and crm_verify, are in sbd.tools.test.ts. Nothing here runs sbd or opens a watchdog.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importCib } from '../../src/import/index.js';
import { parseAssignments } from '../../src/formats/assignments.js';
import { parseXml } from '../../src/xml/parse.js';
import { roundTrip, twoNodeCorosync } from './roundtrip.js';
import { DISK, sbdCib, sbdFile, STONITH_SBD } from './sbd-fixtures.js';

/** The corosync.conf of n1..n3 (watchdog-only SBD needs three members or a quorum device). */
const THREE = `totem {\n  version: 2\n  cluster_name: lab\n}\nnodelist {\n${[1, 2, 3].map((i) => `  node {\n    ring0_addr: 198.51.100.1${i}\n    name: n${i}\n    nodeid: ${i}\n  }\n`).join('')}}\n`;
const TWO = twoNodeCorosync('lab', { twoNode: true });

function trip(cib: string, corosync: string, sbd: string | undefined): string {
  const r = roundTrip(cib, 'test.xml', corosync, sbd);
  assert.ok(r.ok, r.ok ? '' : `${r.stage}: ${r.category}: ${r.detail}\n${r.text ?? ''}`);
  return r.text;
}

function codes(cib: string, corosync: string, sbd: string | undefined): string[] {
  const parsed = parseXml(cib);
  assert.ok(parsed.ok);
  return importCib({ cib: parsed.root, source: 'test.xml', corosyncConf: { text: corosync, source: 'corosync.conf' }, ...(sbd !== undefined ? { sbdConfig: { text: sbd, source: 'sbd' } } : {}) }).diagnostics.map((d) => `${d.code} ${d.message}`);
}

describe('SBD on import', () => {
  it('disk-based: the sbd file and the fence_sbd device are the topology\'s sbd: (the device\'s id and operations kept); msgwait is not guessed: HA5565 says what to confirm', () => {
    const cib = sbdCib(2, { 'priority-fencing-delay': '15s' }, STONITH_SBD);
    const text = trip(cib, TWO, sbdFile({ SBD_DEVICE: `"${DISK}"` }));
    assert.match(text, new RegExp(`^ {4}sbd: {2}# from sbd; the other variables are as hactl writes them\\n {6}devices: \\[${DISK.replace(/[/.]/g, '\\$&')}\\]\\n {6}watchdog: /dev/watchdog\\n {6}watchdog_timeout: 5\\n {6}startmode: always\\n {6}# msgwait: NOT READ[^\\n]*\\n {6}cib: [^\\n]*\\n {8}id: stonith-sbd\\n {8}operations:\\n {10}- \\{ name: monitor, interval: 15s, timeout: 20s \\}\\n`, 'm'));
    assert.doesNotMatch(text, /msgwait: \d/);
    assert.doesNotMatch(text, /<primitive id="stonith-sbd"/);
    // hactl's stonith-timeout (derived from msgwait) is left out as the CIB leaves it out.
    assert.match(text, /^ {6}stonith-timeout: null/m);
    assert.match(text, /^ {6}levels: \{\}/m);
    const found = codes(cib, TWO, sbdFile({ SBD_DEVICE: DISK }));
    assert.ok(found.some((c) => /^HA5565 msgwait of the SBD disks \/dev\/disk\/by-id\/wwn-\S+ was not read .*twice watchdog_timeout \(10s\)/.test(c)), found.join('\n'));
  });

  it('watchdog-only: stonith-watchdog-timeout kept as the CIB sets it, SBD_WATCHDOG_TIMEOUT and the watchdog typed; no msgwait warning', () => {
    const cib = sbdCib(3, { 'stonith-watchdog-timeout': '20s' });
    const text = trip(cib, THREE, sbdFile({ SBD_WATCHDOG_TIMEOUT: '10', SBD_WATCHDOG_DEV: '/dev/watchdog1', SBD_STARTMODE: 'clean' }));
    assert.match(text, /^ {4}sbd: [^\n]*\n {6}watchdog: \/dev\/watchdog1\n {6}watchdog_timeout: 10\n {6}startmode: clean\n/m);
    assert.doesNotMatch(text, /devices:|msgwait/);
    assert.match(text, /^ {6}stonith-watchdog-timeout: 20s/m);
    assert.deepEqual(codes(cib, THREE, sbdFile({ SBD_WATCHDOG_TIMEOUT: '10' })).filter((c) => c.startsWith('HA556')), []);
    // One half of SBD_TIMEOUT_ACTION leaves the other at its default (flush,reboot): the same action.
    assert.deepEqual(codes(cib, THREE, sbdFile({ SBD_TIMEOUT_ACTION: 'reboot' })).filter((c) => c.startsWith('HA556')), []);
    assert.ok(codes(cib, THREE, sbdFile({ SBD_TIMEOUT_ACTION: 'noflush,reboot' })).some((c) => /^HA5566 .*sets SBD_TIMEOUT_ACTION=\S+, where hactl writes flush,reboot/.test(c)));
  });

  it('what the file hactl writes would change keeps SBD as it runs, with the reason (HA5566): another option, a variable hactl does not write, a device with more parameters', () => {
    const device = STONITH_SBD.replace('</instance_attributes>', '<nvpair id="stonith-sbd-delay" name="pcmk_delay_max" value="30s"/></instance_attributes>');
    for (const [file, res, why] of [
      [sbdFile({ SBD_DEVICE: DISK, SBD_DELAY_START: 'yes' }), STONITH_SBD, /sets SBD_DELAY_START=yes, where hactl writes no/],
      [sbdFile({ SBD_DEVICE: DISK, SBD_WATCHDOG_VERBOSE: 'yes' }), STONITH_SBD, /sets SBD_WATCHDOG_VERBOSE, which the file hactl writes does not/],
      [sbdFile({ SBD_DEVICE: DISK }), device, /stonith-sbd with pcmk_delay_max: hactl writes fence_sbd with devices only/],
      [sbdFile({ SBD_DEVICE: `"${DISK};/dev/disk/by-id/other"` }), STONITH_SBD, /devices="[^"]*": hactl writes the disks of SBD_DEVICE, joined by commas/],
      [sbdFile({ SBD_DEVICE: '$(cat /etc/disk)' }), STONITH_SBD, /cannot be read at line \d+: SBD_DEVICE's value is not a plain/],
    ] as const) {
      const cib = sbdCib(2, { 'priority-fencing-delay': '15s' }, res);
      const text = trip(cib, TWO, file);
      assert.match(text, new RegExp(`^ {4}# SBD not typed: sbd [^\\n]*${why.source}[^\\n]*; it runs as it is$`, 'm'));
      assert.doesNotMatch(text, /^ {4}sbd:/m);
      assert.match(text, /<primitive id="stonith-sbd"/);
      assert.ok(codes(cib, TWO, file).some((c) => c.startsWith('HA5566 SBD is not typed: sbd ') && why.test(c)), why.source);
    }
  });

  it("SBD the topology's rules refuse stays as it runs, with the rule's words: disks beside a stonith-watchdog-timeout (HA3147)", () => {
    const cib = sbdCib(2, { 'priority-fencing-delay': '15s', 'stonith-watchdog-timeout': '10s' }, STONITH_SBD);
    const text = trip(cib, TWO, sbdFile({ SBD_DEVICE: DISK }));
    assert.match(text, /^ {4}# SBD not typed: sbd typed, it would not validate: [^\n]*stonith-watchdog-timeout/m);
    assert.match(text, /<primitive id="stonith-sbd"/);
    const found = codes(cib, TWO, sbdFile({ SBD_DEVICE: DISK }));
    assert.ok(found.some((c) => /^HA5566 .*would not validate/.test(c)), found.join('\n'));
    assert.ok(!found.some((c) => c.startsWith('HA5565')), 'no msgwait to confirm for SBD not typed');
  });

  it('without the sbd file, SBD runs as it is and a comment says what was not read; an sbd file where the CIB shows no SBD is not typed', () => {
    const cib = sbdCib(2, { 'priority-fencing-delay': '15s' }, STONITH_SBD);
    const text = trip(cib, TWO, undefined);
    assert.match(text, /^ {4}# SBD fences here \(stonith-sbd \(stonith:fence_sbd\)\), but its disks and timeouts are in \/etc\/default\/sbd or \/etc\/sysconfig\/sbd [^\n]*which were not read: not typed/m);
    assert.match(text, /<primitive id="stonith-sbd"/);
    assert.deepEqual(codes(cib, TWO, undefined).filter((c) => c.startsWith('HA556')), []);
    const none = sbdCib(2, { 'stonith-enabled': 'false' });
    const plain = trip(none, TWO, sbdFile({}));
    assert.match(plain, /# SBD not typed: sbd is there, but nothing in the CIB uses SBD/);
    assert.deepEqual(codes(none, TWO, sbdFile({})).filter((c) => c.startsWith('HA556')), [], 'an installed sbd that does not fence is no warning');
    assert.doesNotMatch(plain, /^ {4}sbd:/m);
  });

  it('levels naming the fence_sbd device name it sbd, after the node\'s own device', () => {
    const own = (n: number) => `<primitive id="st_n${n}" class="stonith" type="fence_dummy"><instance_attributes id="st_n${n}-ia"><nvpair id="st_n${n}-hl" name="pcmk_host_list" value="n${n}"/></instance_attributes><operations><op id="st_n${n}-mon" name="monitor" interval="60s"/></operations></primitive>`;
    const ban = (n: number) => `<rsc_location id="l_st_n${n}" rsc="st_n${n}" node="n${n}" score="-INFINITY"/>`;
    const levels = [1, 2].map((n) => `<fencing-level id="fl-n${n}-1" target="n${n}" index="1" devices="st_n${n}"/><fencing-level id="fl-n${n}-2" target="n${n}" index="2" devices="stonith-sbd"/>`).join('');
    const cib = sbdCib(2, { 'priority-fencing-delay': '15s', 'stonith-timeout': '60s' }, own(1) + own(2) + STONITH_SBD, levels).replace('<constraints/>', `<constraints>${ban(1)}${ban(2)}</constraints>`);
    const text = trip(cib, TWO, sbdFile({ SBD_DEVICE: DISK }));
    assert.match(text, /^ {6}levels: [^\n]*\n {8}n1: \[\[n1\], \[sbd\]\]\n {8}n2: \[\[n2\], \[sbd\]\]\n {6}level_ids:\n {8}n1: \[fl-n1-1, fl-n1-2\]\n/m);
    assert.match(text, /^ {6}stonith-timeout: 60s/m);
    assert.doesNotMatch(text, /<fencing-level|<primitive id="stonith-sbd"/);
  });

  it("a live read's disk headers (read with dd) give msgwait, when every disk has one, they agree, and their watchdog timeout is SBD_WATCHDOG_TIMEOUT", () => {
    const other = '/dev/disk/by-id/wwn-0x6001405bbbbbbbbbbbbbbbbbbbbbbbb02';
    const device = STONITH_SBD.replace(`value="${DISK}"`, `value="${DISK},${other}"`);
    const run = (headers: readonly (readonly [string, { readonly watchdog: number; readonly msgwait: number } | undefined])[], res = STONITH_SBD, file = sbdFile({ SBD_DEVICE: DISK })) => {
      const p = parseXml(sbdCib(2, { 'priority-fencing-delay': '15s' }, res));
      assert.ok(p.ok);
      const r = importCib({ cib: p.root, source: 'test.xml', corosyncConf: { text: TWO, source: 'corosync.conf' }, sbdConfig: { text: file, source: '/etc/default/sbd of n1', path: '/etc/default/sbd', paths: ['/etc/default/sbd'], headers: new Map(headers.map(([d, h]) => [d, h && { ...h }])) } });
      return { text: r.text ?? '', codes: r.diagnostics.map((d) => `${d.code} ${d.message}`) };
    };
    const read = run([[DISK, { watchdog: 5, msgwait: 15 }]]);
    assert.match(read.text, /^ {6}startmode: always\n {6}msgwait: 15 {2}# the disks' sbd header, read with dd\n/m);
    assert.deepEqual(read.codes.filter((c) => c.startsWith('HA556')), []);
    // A blank or unreadable disk: msgwait not read, as from a saved file.
    assert.ok(run([[DISK, undefined]]).codes.some((c) => c.startsWith('HA5565')));
    const two = sbdFile({ SBD_DEVICE: `"${DISK};${other}"` });
    for (const [headers, why] of [
      [[[DISK, { watchdog: 10, msgwait: 20 }]], /sets SBD_WATCHDOG_TIMEOUT=5, but the disks' header says 10s, which sbd uses instead/],
      [[[DISK, { watchdog: 5, msgwait: 10 }], [other, { watchdog: 5, msgwait: 20 }]], /names disks whose sbd headers differ/],
    ] as const) {
      const r = headers.length === 2 ? run(headers, device, two) : run(headers);
      assert.ok(r.codes.some((c) => c.startsWith('HA5566') && why.test(c)), r.codes.join('\n'));
      assert.doesNotMatch(r.text, /^ {4}sbd:/m);
    }
  });

  it("reads the file as the shell that sources it does: plain, quoted and empty values, comments; refuses what the shell would expand", () => {
    const r = parseAssignments(`# c\nSBD_DEVICE="/dev/a;/dev/b"\nexport SBD_OPTS=\nSBD_STARTMODE='clean'  # why\n\n`);
    assert.ok(r.ok);
    assert.deepEqual([...r.vars], [['SBD_DEVICE', '/dev/a;/dev/b'], ['SBD_OPTS', ''], ['SBD_STARTMODE', 'clean']]);
    for (const bad of ['SBD_DEVICE=/dev/a;/dev/b', 'SBD_OPTS="-v $X"', 'SBD_OPTS=`id`', 'sbd -d /dev/a create']) assert.equal(parseAssignments(bad).ok, false, bad);
  });
});
