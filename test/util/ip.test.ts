/** IPv4 and IPv6 arithmetic: parsing, the canonical form, networks, brackets where a port follows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalIp, contains, formatCidr, hostPort, hostRange, isLinkLocal, overlaps, parseCidr, parseIp, reservedKind } from '../../src/util/ip.js';

test('parse and canonical form (RFC 5952)', () => {
  assert.equal(canonicalIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1', 'the first of two equal zero runs');
  assert.equal(canonicalIp('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1', 'a single zero group is not compressed');
  assert.equal(canonicalIp('::'), '::');
  assert.equal(canonicalIp('198.51.100.7'), '198.51.100.7');
  for (const bad of ['2001:db8:::1', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '2001:db8::12345', '198.51.100.256', '198.51.100.07']) assert.equal(parseIp(bad), undefined, bad);
});

test('networks: containment by family, host bits, overlap, ranges, reserved addresses, link-local', () => {
  const v6 = parseCidr('2001:db8:10::/64');
  assert.ok(contains(v6, '2001:db8:10::ffff'));
  assert.ok(!contains(v6, '2001:db8:11::1'));
  assert.ok(!contains(parseCidr('198.51.100.0/24'), '2001:db8:10::1'), 'never across families');
  assert.equal(formatCidr(parseCidr('2001:db8:10::1/64')), '2001:db8:10::/64');
  assert.ok(overlaps(parseCidr('2001:db8::/32'), v6));
  assert.ok(!overlaps(parseCidr('198.51.100.0/24'), v6));
  assert.deepEqual(hostRange(v6), ['2001:db8:10::1', '2001:db8:10:0:ffff:ffff:ffff:ffff'], 'one zero group stays written out');
  assert.deepEqual(hostRange(parseCidr('198.51.100.64/26')), ['198.51.100.65', '198.51.100.126']);
  assert.equal(reservedKind(v6, '2001:db8:10::'), 'network');
  assert.equal(reservedKind(v6, '2001:db8:10:0:ffff:ffff:ffff:ffff'), undefined, 'IPv6 has no broadcast address');
  assert.equal(reservedKind(parseCidr('198.51.100.64/26'), '198.51.100.127'), 'broadcast');
  assert.ok(isLinkLocal('fe80::1') && isLinkLocal('febf::1') && !isLinkLocal('fec0::1') && !isLinkLocal('2001:db8::1'));
});

test('address and port: brackets for IPv6 only', () => {
  assert.equal(hostPort('2001:db8::10', 5000), '[2001:db8::10]:5000');
  assert.equal(hostPort('198.51.100.10', 5000), '198.51.100.10:5000');
});
