import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha1, uuidV5 } from '../../src/util/uuid.js';

test('sha1 equals node:crypto for every length around the block and padding edges', () => {
  const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff));
  for (let n = 0; n <= bytes.length; n++) {
    const m = bytes.subarray(0, n);
    assert.equal(sha1(m).toString('hex'), createHash('sha1').update(m).digest('hex'), `length ${n}`);
  }
});

test('uuidV5 gives the RFC 4122 example (DNS namespace, www.example.com)', () => {
  assert.equal(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
});

test('uuidV5 hashes the name as UTF-8', () => {
  const ns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
  const h = createHash('sha1').update(Buffer.from(ns.replace(/-/g, ''), 'hex')).update('ceph-ö', 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  assert.equal(uuidV5(ns, 'ceph-ö'), `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`);
});
