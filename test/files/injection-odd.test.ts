/** The other half of injection.test.ts's hostile sweep (test/files/hostile.ts), in a file of its own so that the unit tier runs both halves side by side. */
import { test } from 'node:test';
import { hostileSweep } from './hostile.js';

test('every string value and name of the reference topology, made hostile, is refused at its pointer or changes no node file (sites 1, 3, 5, ...)', () => {
  hostileSweep(1, 2);
});
