import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Rng } from '../rng.ts';
import { orderCrossover } from './order-crossover.ts';

test("order crossover gives a permutation of the parents' visits with a stretch of the first in place (property)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 1e6 }), (m, seed) => {
      const rng = new Rng(seed);
      const a = rng.shuffle(Array.from({ length: m }, (_, i) => i + 1));
      const b = rng.shuffle(a.slice());
      const child = orderCrossover(a, b, rng, m);
      assert.deepEqual(child.slice().sort((x, y) => x - y), a.slice().sort((x, y) => x - y));
      // At least two positions inherited from a in place (the stretch has two or more visits).
      assert.ok(child.filter((v, i) => v === a[i]).length >= 2);
    }),
  );
});

test('order crossover of a tour with itself is the tour', () => {
  const a = [3, 1, 4, 5, 2];
  assert.deepEqual(orderCrossover(a, a, new Rng(2), 5), a);
});
