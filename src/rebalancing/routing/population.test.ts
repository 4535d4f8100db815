import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CostEvaluator } from './cost-evaluator.ts';
import { makeInstance } from './instance.ts';
import { brokenPairs, Population } from './population.ts';
import { Rng } from './rng.ts';
import { Solution } from './solution.ts';
import { buildVisits } from './visits.ts';

function setup(stations: number) {
  const demand = [0, ...Array.from({ length: stations }, (_, i) => (i % 2 === 0 ? 1 : -1))];
  const cost = demand.map((_, i) => demand.map((_, j) => Math.abs(i - j)));
  const instance = makeInstance({ name: 't', ids: demand.map((_, i) => (i === 0 ? 'depot' : `s${i}`)), demand, cost, capacity: 10, visitAll: true });
  const visits = buildVisits(instance);
  const ce = new CostEvaluator(visits);
  const solutionOf = (routes: number[][]): Solution => Solution.of(visits, ce, routes);
  return { visits, ce, solutionOf };
}

test('broken-pairs distance: 0 for the same routes, also walked backwards; 1 when no neighbour is kept', () => {
  const { visits, ce, solutionOf } = setup(6);
  const pop = new Population(visits.n, ce, new Rng(1), { minSize: 10, generation: 10, elite: 2, close: 2 });
  pop.add(solutionOf([[1, 2, 3, 4, 5, 6]]));
  pop.add(solutionOf([[6, 5, 4, 3, 2, 1]]));
  pop.add(solutionOf([[1, 3, 5], [2, 4, 6]]));
  const [a, b, c] = pop.feasible;
  assert.equal(brokenPairs(a!, b!), 0);
  assert.ok(brokenPairs(a!, c!) > 0.5);
  assert.equal(brokenPairs(a!, a!), 0);
  // Proximity lists are kept nearest first and symmetric.
  assert.equal(a!.proximity[0]!.other, b);
  assert.equal(c!.proximity.length, 2);
});

test('a full subpopulation is cut back to its minimum size, clones and the costly first', () => {
  const { visits, ce, solutionOf } = setup(6);
  const pop = new Population(visits.n, ce, new Rng(1), { minSize: 2, generation: 2, elite: 1, close: 1 });
  const best = solutionOf([[1, 2, 3, 4, 5, 6]]);
  pop.add(best);
  pop.add(solutionOf([[1, 2, 3, 4, 5, 6]])); // a clone
  pop.add(solutionOf([[1], [2], [3], [4], [5], [6]])); // costly
  pop.add(solutionOf([[2, 1, 4, 3, 6, 5]]));
  pop.add(solutionOf([[1, 2, 3], [4, 5, 6]])); // the fifth exceeds 2 + 2: cut to 2
  assert.equal(pop.feasible.length, 2);
  assert.ok(pop.feasible.some((ind) => ind.sol.distance() === best.distance()));
  assert.ok(!pop.feasible.some((ind) => ind.sol.routes.length === 6));
  // Every proximity list refers only to members still there.
  for (const ind of pop.feasible) for (const p of ind.proximity) assert.ok(pop.feasible.includes(p.other));
});

test('infeasible solutions go to their own subpopulation, and selection draws from both', () => {
  const { visits, ce, solutionOf } = setup(4);
  ce.loadPenalty = 5;
  const pop = new Population(visits.n, ce, new Rng(3));
  pop.add(solutionOf([[1, 2, 3, 4]]));
  const over = solutionOf([[1, 3]]);
  over.routes[0]!.excess = 3; // as if the truck were too small
  pop.add(over);
  assert.equal(pop.feasible.length, 1);
  assert.equal(pop.infeasible.length, 1);
  const seen = new Set<unknown>();
  for (let k = 0; k < 50; k++) seen.add(pop.select());
  assert.equal(seen.size, 2);
});
