/**
 * Issue #14's "done when" set, one topology each: (a) a two-node PostgreSQL-style promotable
 * cluster with a VIP on the primary, SBD and a quorum device; (b) a three-node Galera-style
 * promotable clone with an HAProxy clone; (c) a bundle-based service; (d) a cluster fenced by IPMI
 * then a shared PDU; (e) an IPv6-only cluster. Each validates, and `hactl check` (crm_simulate
 * for the rehearsal) passes and tells its quorum and fencing story as it is. Their compiled
 * outputs are pinned and checked with crm_verify, crmsh and pcs by compile/pacemaker.tools
 * ((b)-(e)) and compile/sbd.tools ((a)); apply runs live where it can (fencing levels with
 * fence_dummy: apply/fencing-levels.cluster; IPv6: the ipv6 live test; a Galera-style promotable
 * Stateful with an HAProxy clone: compile/profile.cluster), SBD and bundles offline only.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hactl } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['crm_simulate']);
const ENV = { HACTL_IPMI_PASSWORD: 'x', HACTL_PDU_PASSWORD: 'x' };

function checked(file: string): string {
  const v = hactl(['validate', file], { env: ENV });
  assert.equal(v.code, 0, v.stdout + v.stderr);
  const r = hactl(['check', file], { env: { ...ENV, COLUMNS: '400' } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok .*: 0 error\(s\)/);
  return r.stdout;
}

/** The story block of one cluster, from `quorum and fencing`. */
function story(out: string, cluster: string): string {
  const block = out.slice(out.indexOf('\nquorum and fencing\n'), out.indexOf('\nfailure rehearsal'));
  const from = block.indexOf(`\n  cluster ${cluster}\n`);
  assert.ok(from >= 0, block);
  const next = block.indexOf('\n  cluster ', from + 1);
  return block.slice(from, next < 0 ? undefined : next);
}

describe('the building blocks of today\'s clusters, one topology each', { skip }, () => {
  test('(a) two-node PostgreSQL-style: the quorum device ends the fence race, SBD fences after a power failure, the timeouts hold', () => {
    const out = checked('test/compile/fixtures/sbd.yaml');
    const pg = story(out, 'postgres');
    assert.match(pg, /quorum: 2 members \+ quorum device on arbiter \(ffsplit, 1 vote\(s\)\): 3 votes, 2 needed; qnetd votes for one partition \(the larger, then db1's side\): no fence race/);
    assert.match(pg, /SBD on 1 disk\(s\): watchdog_timeout 5 s, msgwait 10 s \(at least 2 × watchdog_timeout[^)]*\), stonith-timeout 60s \(above msgwait\)/);
    assert.match(pg, /fence db1: level 1 st_db1 \(fence_ipmilan: the BMC, loses power with db1\), then level 2 st_sbd \(fence_sbd[^)]*\); after a power failure of db1: st_sbd/);
    // The primary fails: the survivor keeps quorum with qnetd's vote, fences it and takes over.
    assert.match(out, /db1 fails: quorum kept\n\s+fence db1: required, possible \(st_db1, st_sbd\)\n\s+fence levels: db1 1: st_db1, else 2: st_sbd\n\s+promoted: pgsql db1 → db2\n\s+every service runs/);
    assert.match(out, /arbiter \+ db1 fail: quorum lost/);
    // Watchdog-only SBD in the same topology: fenced by the watchdog only while the rest is quorate.
    assert.match(story(out, 'apps'), /watchdog-only SBD: watchdog_timeout 10 s; a member out of quorum is taken as reset after stonith-watchdog-timeout 20s/);
  });

  test('(b) three-node Galera-style: every member promoted, a majority keeps quorum, the HAProxy clone follows', () => {
    const out = checked('test/compile/fixtures/promotable.yaml');
    assert.match(story(out, 'galera'), /quorum: 3 members, 2 needed: survives 1 member failure\(s\)/);
    // Only BMCs here: the story says what a power failure leaves (HA6015 warns about it).
    assert.match(story(out, 'galera'), /fence gal1: st_gal1 \(fence_ipmilan: the BMC, loses power with gal1\); after a power failure of gal1 nothing fences it \(HA6015\)/);
    assert.match(out, /gal1 fails: quorum kept\n\s+fence gal1: required, possible \(st_gal1\)\n\s+promoted: galera gal1\+gal2\+gal3 → gal2\+gal3\n\s+every service runs/);
    assert.match(story(out, 'postgres'), /quorum: 2 members, two_node: each alone keeps quorum, so a split is a fence race/);
  });

  test('(c) a bundle-based service: replicas move with their hosts, fenced by BMC then PDU', () => {
    const out = checked('test/compile/fixtures/bundle-service.yaml');
    assert.match(story(out, 'web'), /fence n1: level 1 st_n1 \(fence_ipmilan: the BMC, loses power with n1\), then level 2 st_pdu \(fence_apc_snmp: outside the node, keeps power\); after a power failure of n1: st_pdu/);
    assert.match(out, /n1 fails: quorum kept\n\s+fence n1: required, possible \(st_n1, st_pdu\)\n\s+fence levels: n1 1: st_n1, else 2: st_pdu\n\s+every service runs/);
    assert.doesNotMatch(out, /(warning|error) HA(6015|6023)/);
  });

  test('(d) fenced by IPMI (or Redfish) then a shared PDU: the BMC loses power with its node, the PDU does not', () => {
    const out = checked('test/compile/fixtures/fencing-levels.yaml');
    const files = story(out, 'files');
    assert.match(files, /fence fs1: level 1 st_fs1 \(fence_ipmilan: the BMC, loses power with fs1\), then level 2 st_pdu-a \(fence_apc_snmp: outside the node, keeps power\) \+ st_pdu-b \([^)]*\); after a power failure of fs1: st_pdu-a \+ st_pdu-b/);
    assert.match(files, /fence fs3: level 1 st_fs3 \(fence_redfish: the BMC, loses power with fs3\), then level 2 st_pdu-a [^;]*; after a power failure of fs3: st_pdu-a/);
    assert.doesNotMatch(out, /warning HA6015/);
    assert.doesNotMatch(out, /topology cannot describe a second fencing level/);
  });

  test('(e) IPv6-only: the HAProxy backends at bracketed IPv6 addresses are the nodes that run the service', () => {
    const out = checked('test/compile/fixtures/ipv6.yaml');
    // HAProxy writes [2001:db8:…]:port; read as an unknown address before, every frontend was HA6122.
    assert.doesNotMatch(out, /HA6122/);
    assert.match(story(out, 'controllers'), /quorum: 3 members, 2 needed: survives 1 member failure\(s\)/);
    assert.match(out, /ctl1 fails: quorum kept\n\s+fence ctl1: required, possible/);
  });
});
