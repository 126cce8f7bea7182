import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, distance } from '../../src/util/suggest.js';

test('edit distance counts a swap of neighbours as one typo', () => {
  assert.equal(distance('nodse', 'nodes'), 1);
  assert.equal(distance('adresses', 'addresses'), 1);
  assert.equal(distance('grizly', 'grizzly'), 1);
  assert.equal(distance('', 'abc'), 3);
  assert.equal(distance('kitten', 'sitting'), 3);
});

test('closest suggests only likely typos', () => {
  assert.equal(closest('nodse', ['nodes', 'networks']), 'nodes');
  assert.equal(closest('active-pasive', ['active-passive', 'active-active']), 'active-passive');
  assert.equal(closest('memcached', ['mysql', 'keystone', 'nova']), undefined);
  assert.equal(closest('x', []), undefined);
});
