// The engine's prize-collecting form: its checker catches each kind of broken route, and its search
// keeps a stop a truck is driving to first and to that truck, and returns only checked routes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asStationId } from '../../platform/ids.ts';
import { checkPrizeRoutes } from './prize-checker.ts';
import { planObjective, type PlanProblem, type PlanStation } from './prize-instance.ts';
import { solvePrize } from './prize-search.ts';

function station(id: string, bikes: number, capacity: number, f: (x: number) => number): PlanStation {
  return { id: asStationId(id), bikes, capacity, failures: Float64Array.from({ length: capacity + 1 }, (_, x) => f(x)) };
}

/** Places on a line (km), 300 s per km: stations 0..S-1, the depot S. */
function line(stations: PlanStation[], xs: number[], trucks: PlanProblem['trucks'], over: Partial<PlanProblem> = {}): PlanProblem {
  return {
    stations, depot: stations.length, travel: { n: xs.length, source: 'line', seconds: (a, b) => Math.abs(xs[a]! - xs[b]!) * 300 },
    handlingS: 30, stopS: 60, minMove: 1, driveWeightPerHour: 0.5, trucks, ...over,
  };
}

const f = (best: number, a = 1) => (x: number) => a * (x - best) ** 2;

test('prize checker: accepts a good route and names each broken rule', () => {
  // A has 5 bikes (best 1), B none (best 4); the truck starts empty at the depot (x = 0).
  const p = line([station('A', 5, 8, f(1)), station('B', 0, 8, f(4))], [1, 2, 0], [{ id: 't', capacity: 6, shiftS: 3600, startLoad: 0, start: 2 }]);
  const good = [{ truck: 0, visits: [0, 1], qty: [4, -4] }];
  const ok = checkPrizeRoutes(p, good, planObjective(p, good).objective);
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.failuresAfter, planObjective(p, good).failuresAfter);
  const bad = (routes: { truck: number; visits: number[]; qty: number[] }[], pattern: RegExp, q: PlanProblem = p) => {
    const c = checkPrizeRoutes(q, routes);
    assert.ok(!c.ok && c.errors.some((e) => pattern.test(e)), `${pattern}: ${c.errors.join('; ')}`);
  };
  bad([{ truck: 0, visits: [1, 0], qty: [-4, 4] }], /load -4 outside/);
  bad([{ truck: 0, visits: [0, 1], qty: [7, -4] }], /load 7 outside|takes 7 bikes/);
  bad([{ truck: 0, visits: [0, 1, 0], qty: [2, -2, 2] }], /already visited/);
  bad([{ truck: 0, visits: [0, 1], qty: [0, -4] }], /non-zero/);
  bad([{ truck: 0, visits: [1], qty: [-9] }], /load -9|leaves 9 bikes/, line(p.stations as PlanStation[], [1, 2, 0], [{ id: 't', capacity: 9, shiftS: 3600, startLoad: 9, start: 2 }]));
  bad(good, /shift/, { ...p, trucks: [{ ...p.trucks[0]!, shiftS: 900 }] });
  bad(good, /fewer than the minimum 5/, { ...p, minMove: 5, stations: [station('A', 5, 8, f(1, 0.01)), station('B', 0, 8, f(4, 0.01))] });
  assert.match(checkPrizeRoutes(p, good, 0).errors.join(';'), /claimed objective/);
  // Truck 1 is driving to A: only it may stop there, and only first.
  const two = { ...p, trucks: [p.trucks[0]!, { id: 'u', capacity: 6, shiftS: 3600, startLoad: 0, start: 0, readyS: 120 }] };
  bad([{ truck: 0, visits: [0, 1], qty: [4, -4] }], /truck 1 is driving to this station/, two);
  bad([{ truck: 1, visits: [1, 0], qty: [0, 1] }], /non-zero|driving to this station/, two);
  assert.deepEqual(checkPrizeRoutes(two, [{ truck: 1, visits: [0, 1], qty: [4, -4] }]).errors, []);
});

test('prize search: a stop a truck is driving to stays its first and no other truck takes it', () => {
  // Ten stations on a line; station 4 is the best prize. Truck 1 is driving to station 4 (free there
  // in 10 minutes); truck 0 starts at the depot beside it with a full load.
  const stations = Array.from({ length: 10 }, (_, i) => station(`s${i}`, i % 2 || i === 4 ? 0 : 6, 8, i === 4 ? f(6, 3) : f(i % 2 ? 4 : 2)));
  const xs = [...stations.map((_, i) => i * 0.5), 2];
  const p = line(stations, xs, [
    { id: 'a', capacity: 10, shiftS: 3600, startLoad: 10, start: 10 },
    { id: 'b', capacity: 10, shiftS: 3600, startLoad: 0, start: 4, readyS: 600 },
  ]);
  for (let seed = 1; seed <= 3; seed++) {
    const r = solvePrize(p, { seed, timeLimitS: 30, maxIterations: 200 });
    assert.ok(!r.routes[0]!.visits.includes(4), `seed ${seed}: truck a stops at the station truck b is driving to`);
    const k = r.routes[1]!.visits.indexOf(4);
    assert.ok(k <= 0, `seed ${seed}: truck b stops at its station at position ${k}`);
    assert.ok(checkPrizeRoutes(p, r.routes).ok);
  }
  // Without truck b heading there, truck a takes the best prize.
  const free = { ...p, trucks: [p.trucks[0]!] };
  assert.ok(solvePrize(free, { seed: 1, timeLimitS: 30, maxIterations: 200 }).routes[0]!.visits.includes(4));
});
