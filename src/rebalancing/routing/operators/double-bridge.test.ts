import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CostEvaluator } from '../cost-evaluator.ts';
import { makeInstance } from '../instance.ts';
import { Rng } from '../rng.ts';
import { Solution } from '../solution.ts';
import { buildVisits } from '../visits.ts';
import { doubleBridge } from './double-bridge.ts';

function line(n: number) {
  const demand = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i % 2 === 0 ? 1 : -1));
  const cost = demand.map((_, i) => demand.map((_, j) => Math.abs(i - j)));
  const instance = makeInstance({ name: 't', ids: demand.map((_, i) => (i === 0 ? 'depot' : `s${i}`)), demand, cost, capacity: 10, visitAll: true });
  const visits = buildVisits(instance);
  return { visits, ce: new CostEvaluator(visits) };
}

function solutionOf(ctx: ReturnType<typeof line>, routes: number[][]): Solution {
  return Solution.of(ctx.visits, ctx.ce, routes);
}

test('double bridge turns A B C D into A C B D on a long route, keeping its visits', () => {
  const ctx = line(13);
  const order = Array.from({ length: 12 }, (_, i) => i + 1);
  for (let seed = 1; seed <= 20; seed++) {
    const sol = solutionOf(ctx, [order]);
    const ends = doubleBridge(sol, { ...ctx, rng: new Rng(seed) });
    assert.ok(ends);
    const after = sol.routes[0]!.visits;
    assert.deepEqual([...after].sort((a, b) => a - b), order, 'same visits');
    assert.notDeepEqual(after, order, 'the order changed');
    // A C B D: where the order breaks, it continues with a later visit; exactly three breaks
    // (A|C, C|B, B|D), or two when D is empty.
    let breaks = 0;
    for (let k = 1; k < after.length; k++) if (after[k] !== after[k - 1]! + 1) breaks++;
    assert.ok(breaks === 2 || breaks === 3, `breaks ${breaks} in ${after.join(' ')}`);
    // The cut ends are visits of the route, and the indices follow the route.
    for (const v of ends) assert.ok(order.includes(v));
    after.forEach((v, p) => assert.equal(sol.posOf[v], p));
    // The route's caches follow its new order.
    assert.equal(sol.routes[0]!.distance, after.reduce((s, v, k) => s + Math.abs(v - (k === 0 ? 0 : after[k - 1]!)), 0) + after[after.length - 1]!);
  }
});

test('double bridge leaves short routes alone', () => {
  const ctx = line(8);
  const sol = solutionOf(ctx, [[1, 2, 3], [4, 5, 6, 7]]);
  assert.equal(doubleBridge(sol, { ...ctx, rng: new Rng(1) }), null);
  assert.deepEqual(sol.routes.map((r) => r.visits), [[1, 2, 3], [4, 5, 6, 7]]);
});
