import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CostEvaluator } from '../cost-evaluator.ts';
import { makeInstance } from '../instance.ts';
import { Rng } from '../rng.ts';
import { Solution } from '../solution.ts';
import { buildVisits } from '../visits.ts';
import { localSearch } from './local-search.ts';

function setup(cost: number[][], demand: number[], routes: number[][], capacity = 10) {
  const instance = makeInstance({ name: 't', ids: demand.map((_, i) => (i === 0 ? 'depot' : `s${i}`)), demand, cost, capacity, visitAll: true });
  const visits = buildVisits(instance);
  const ce = new CostEvaluator(visits);
  const sol = Solution.of(visits, ce, routes);
  localSearch(sol, { visits, ce, rng: new Rng(1) });
  return sol;
}

test('local search splits a route when going back by the depot is shorter', () => {
  // 1 -> 2 costs 100, but 1 -> depot -> 2 only 2: one route becomes two.
  const cost = [
    [0, 1, 1],
    [1, 0, 100],
    [1, 100, 0],
  ];
  const sol = setup(cost, [0, 3, -3], [[1, 2]]);
  assert.deepEqual(sol.routes.map((r) => r.visits), [[1], [2]]);
  assert.equal(sol.distance(), 4);
});

test('local search joins two routes when the stations are close and one truck can carry both', () => {
  const cost = [
    [0, 50, 50],
    [50, 0, 1],
    [50, 1, 0],
  ];
  const sol = setup(cost, [0, 4, -4], [[1], [2]]);
  assert.equal(sol.routes.length, 1);
  assert.equal(sol.distance(), 101);
});

test('local search keeps two routes apart when one truck could not carry both', () => {
  // Two pickups of 6 with trucks of 10: joining them would overflow.
  const cost = [
    [0, 50, 50],
    [50, 0, 1],
    [50, 1, 0],
  ];
  const sol = setup(cost, [0, 6, 6], [[1], [2]]);
  assert.equal(sol.routes.length, 2);
  assert.equal(sol.excess(), 0);
});
