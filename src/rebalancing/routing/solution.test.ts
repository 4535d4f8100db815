import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CostEvaluator } from './cost-evaluator.ts';
import { makeInstance } from './instance.ts';
import { Route } from './solution.ts';
import { buildVisits } from './visits.ts';

// A route over random demands and an asymmetric random cost matrix.
function route(demand: number[], seed: number) {
  const n = demand.length + 1;
  const cost = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : ((i * 31 + j * 17 + seed) % 23) + 1)));
  const instance = makeInstance({ name: 't', ids: ['depot', ...demand.map((_, i) => `s${i + 1}`)], demand: [0, ...demand], cost, capacity: 100, visitAll: true });
  const visits = buildVisits(instance);
  const ce = new CostEvaluator(visits);
  const r = new Route(demand.map((_, i) => i + 1));
  r.update(visits.q, ce);
  return { r, ce };
}

test('range minima and maxima of the prefix loads match a scan for every stretch', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 40 }), fc.nat(100), (demand, seed) => {
      const { r } = route(demand, seed);
      for (let x = 0; x <= r.length; x++) {
        for (let y = x; y <= r.length; y++) {
          const slice = Array.from(r.pSum.subarray(x, y + 1));
          assert.equal(r.rangeMin(x, y), Math.min(...slice));
          assert.equal(r.rangeMax(x, y), Math.max(...slice));
        }
      }
    }),
    { numRuns: 50 },
  );
});

test('rcum is the cost of walking the route backwards', () => {
  const { r, ce } = route([3, -2, 5, -1, -4, 2], 7);
  for (let lo = 0; lo < r.length; lo++) {
    for (let hi = lo; hi < r.length; hi++) {
      let back = 0;
      for (let k = lo; k < hi; k++) back += ce.arc(r.visits[k + 1]!, r.visits[k]!);
      assert.equal(r.rcum[hi]! - r.rcum[lo]!, back);
    }
  }
});

test('the range tables are rebuilt after the route changes', () => {
  const { r, ce } = route([5, 5, -10], 1);
  assert.equal(r.rangeMax(0, 3), 10);
  r.visits = [3, 1, 2];
  r.update(Int32Array.from([0, 5, 5, -10]), ce);
  assert.equal(r.rangeMin(0, 3), -10);
  assert.equal(r.rangeMax(0, 3), 0);
});
