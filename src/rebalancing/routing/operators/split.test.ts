import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CostEvaluator } from '../cost-evaluator.ts';
import { makeInstance } from '../instance.ts';
import { Rng } from '../rng.ts';
import { buildVisits } from '../visits.ts';
import { giantTour, splitTour } from './split.ts';

function ctxOf(demand: number[], cost: number[][], capacity: number, maxRouteCost = Infinity) {
  const instance = makeInstance({ name: 't', ids: demand.map((_, i) => (i === 0 ? 'depot' : `s${i}`)), demand, cost, capacity, visitAll: true, maxRouteCost });
  const visits = buildVisits(instance);
  return { visits, ce: new CostEvaluator(visits), rng: new Rng(1) };
}

test('split keeps the tour in one route when the truck can carry it, and cuts where the load forces it', () => {
  // A line 0-1-2-3-4: collecting 6 at 1 and 2 then dropping at 3 and 4.
  const cost = [0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((j) => Math.abs(i - j)));
  const roomy = ctxOf([0, 6, 6, -6, -6], cost, 12);
  assert.deepEqual(splitTour([1, 2, 3, 4], roomy).routes.map((r) => r.visits), [[1, 2, 3, 4]]);
  // With capacity 6 no route may hold both collections before a drop: 1 -> 3, 2 -> 4 in tour order
  // needs the cut after 1 | 2 ... not possible as 1,2 adjacent: each route must stay within 6.
  const tight = ctxOf([0, 6, 6, -6, -6], cost, 6);
  const sol = splitTour([1, 3, 2, 4], tight);
  assert.deepEqual(sol.routes.map((r) => r.visits), [[1, 3, 2, 4]]);
  const forced = splitTour([1, 2, 3, 4], tight);
  assert.equal(forced.excess(), 0);
  assert.deepEqual(giantTour(forced), [1, 2, 3, 4]);
  assert.ok(forced.routes.length >= 2);
});

// Best split by enumerating every set of cut points.
function bestSplitByEnumeration(tour: number[], ctx: ReturnType<typeof ctxOf>): number {
  const m = tour.length;
  let best = Infinity;
  for (let mask = 0; mask < 1 << (m - 1); mask++) {
    let cost = 0;
    let start = 0;
    for (let k = 1; k <= m; k++) {
      if (k === m || mask & (1 << (k - 1))) {
        const r = tour.slice(start, k);
        let s = 0;
        let lo = 0;
        let hi = 0;
        for (const v of r) {
          s += ctx.visits.q[v]!;
          lo = Math.min(lo, s);
          hi = Math.max(hi, s);
        }
        // Over the route limit only a one-visit route is allowed (as in the split).
        if (r.length > 1 && ctx.ce.routeCost(r) > ctx.ce.maxRouteCost) cost = Infinity;
        cost += ctx.ce.routeCost(r) + ctx.ce.loadPenalty * ctx.ce.loadExcess(lo, hi);
        start = k;
      }
    }
    best = Math.min(best, cost);
  }
  return best;
}

test('split finds the least penalised cost over all cut points, with or without a route limit (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 30 }), fc.boolean(), (m, seed, weight, limited) => {
      const rng = new Rng(seed);
      const capacity = rng.int(2, 10);
      const demand = [0, ...Array.from({ length: m }, () => rng.int(-capacity, capacity))];
      // Random costs: the triangle inequality need not hold (a longer route may cost less).
      const cost = demand.map((_, i) => demand.map((_, j) => (i === j ? 0 : rng.int(1, 50))));
      const ctx = ctxOf(demand, cost, capacity, limited ? rng.int(20, 200) : Infinity);
      ctx.ce.loadPenalty = weight;
      const tour = rng.shuffle(Array.from({ length: m }, (_, i) => i + 1));
      const sol = splitTour(tour, ctx);
      assert.deepEqual(giantTour(sol), tour);
      const got = sol.distance() + weight * sol.excess();
      assert.ok(Math.abs(got - bestSplitByEnumeration(tour, ctx)) < 1e-9, `split ${got}`);
    }),
    { numRuns: 400 },
  );
});
