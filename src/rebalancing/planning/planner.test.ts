// The planner on hand cases: tiny instances whose best plan is found by brute force (every order of
// every subset of stations, every quantity), the route DP against brute force, the greedy
// dispatcher, and the checker catching broken plans.
import { asStationId } from '../../platform/ids.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../platform/util/random.ts';
import { assemblePlan, isoLocal } from './assemble.ts';
import { checkPlan } from './check.ts';
import { greedyDispatch } from './greedy.ts';
import { checkInputOf, makePlan } from './planner.ts';
import { planByZones } from './by-zones.ts';
import { planObjective, routeTiming, upperBikes, type PlanProblem, type PlanStation, type TruckRoute } from '../routing/prize-instance.ts';
import { optimiseQuantities, quantitiesAt } from '../routing/prize-quantities.ts';
import { solvePrize as solvePlan } from '../routing/prize-search.ts';
import { engineOrder } from '../routing/operators/route-order.ts';
import type { TravelTimes } from './travel.ts';

/** Places on a line (x in km), 12 km/h: 300 s per km. Stations 0..S-1, depot S, then extra starts. */
function lineTravel(xs: number[]): TravelTimes {
  return { n: xs.length, source: 'line', seconds: (a, b) => Math.abs(xs[a]! - xs[b]!) * 300 };
}

function station(id: string, bikes: number, capacity: number, f: (x: number) => number): PlanStation {
  return { id: asStationId(id), bikes, capacity, failures: Float64Array.from({ length: capacity + 1 }, (_, x) => f(x)) };
}

/** Random convex curves with their minimum somewhere inside. */
function randomProblem(seed: number, S: number, trucks: { capacity: number; shiftS: number; startLoad: number }[], handlingS: number): PlanProblem {
  const u = mulberry32(seed);
  const stations: PlanStation[] = [];
  const xs: number[] = [];
  for (let s = 0; s < S; s++) {
    const cap = 3 + Math.floor(u() * 5);
    const mid = u() * cap;
    const a = 0.1 + u();
    stations.push(station(`s${s}`, Math.floor(u() * (cap + 1)), cap, (x) => a * (x - mid) ** 2 / cap + 0.05 * u()));
    xs.push(u() * 4);
  }
  xs.push(2); // depot
  return {
    stations, depot: S, travel: lineTravel(xs), handlingS, stopS: 0, minMove: 1, driveWeightPerHour: 0.3,
    trucks: trucks.map((t, i) => ({ id: `t${i + 1}`, ...t, start: S })),
  };
}

/** Brute force over orders and quantities for one truck. */
function bruteForce(p: PlanProblem): number {
  const S = p.stations.length;
  let best = planObjective(p, [{ truck: 0, visits: [], qty: [] }]).objective;
  const t = p.trucks[0]!;
  const orders: number[][] = [];
  const perm = (cur: number[], used: Set<number>) => {
    if (cur.length > 0) orders.push(cur.slice());
    for (let s = 0; s < S; s++) if (!used.has(s)) { used.add(s); cur.push(s); perm(cur, used); cur.pop(); used.delete(s); }
  };
  perm([], new Set());
  for (const order of orders) {
    const qty = new Array<number>(order.length).fill(0);
    const rec = (k: number, load: number) => {
      if (k === order.length) {
        if (qty.some((q) => q === 0)) return; // a stop moves bikes
        const r: TruckRoute = { truck: 0, visits: order, qty: qty.slice() };
        if (routeTiming(p, r).endS > t.shiftS) return;
        best = Math.min(best, planObjective(p, [r]).objective);
        return;
      }
      const st = p.stations[order[k]!]!;
      for (let q = st.bikes - upperBikes(st); q <= st.bikes; q++) {
        if (load + q < 0 || load + q > t.capacity) continue;
        qty[k] = q;
        rec(k + 1, load + q);
      }
    };
    rec(0, t.startLoad);
  }
  return best;
}

test('route DP: exact quantities for a fixed order match brute force', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const p = randomProblem(seed, 4, [{ capacity: 4, shiftS: 1e9, startLoad: seed % 3 }], 30);
    const order = [0, 1, 2, 3];
    const dp = quantitiesAt(p, 0, order, 0);
    let best = -Infinity;
    const rec = (k: number, load: number, g: number) => {
      if (k === 4) { best = Math.max(best, g); return; }
      const st = p.stations[k]!;
      for (let q = st.bikes - upperBikes(st); q <= st.bikes; q++) {
        if (load + q < 0 || load + q > 4) continue;
        rec(k + 1, load + q, g + st.failures[Math.min(st.bikes, st.capacity)]! - st.failures[Math.min(st.bikes - q, st.capacity)]!);
      }
    };
    rec(0, p.trucks[0]!.startLoad, 0);
    assert.ok(Math.abs(dp.gain - best) < 1e-9, `seed ${seed}: dp ${dp.gain} vs brute ${best}`);
  }
});

test('route DP: a binding shift is met', () => {
  const p = randomProblem(7, 4, [{ capacity: 6, shiftS: 1e9, startLoad: 3 }], 120);
  const free = optimiseQuantities(p, 0, [0, 1, 2, 3]);
  const tight = { ...p, trucks: [{ ...p.trucks[0]!, shiftS: free.endS - 200 }] };
  const r = optimiseQuantities(tight, 0, [0, 1, 2, 3]);
  assert.ok(r.feasible && r.endS <= free.endS - 200 + 1e-6, `end ${r.endS}`);
  assert.ok(r.gain <= free.gain + 1e-12);
});

test('planner: tiny instances reach the brute-force optimum (a heuristic: 28 of 30 here), and every plan passes the checker', () => {
  let optimal = 0;
  const N = 30;
  for (let seed = 1; seed <= N; seed++) {
    const shift = seed % 2 ? 1e6 : 2400;
    const p = randomProblem(100 + seed, 4, [{ capacity: 3, shiftS: shift, startLoad: seed % 2 }], 30);
    const best = bruteForce(p);
    const got = solvePlan(p, { seed, timeLimitS: 30, maxIterations: 300 });
    const obj = planObjective(p, got.routes).objective;
    assert.ok(obj >= best - 1e-9, `seed ${seed}: planner ${obj} below the brute-force optimum ${best}: brute force or objective is wrong`);
    assert.ok(obj <= best * 1.1 + 1e-9, `seed ${seed}: planner ${obj}, more than 10% above the optimum ${best}`);
    if (obj <= best + 1e-9) optimal++;
    const ctx = { system: 'x', atS: 1_700_000_000, timeZone: 'Asia/Seoul', targetRun: 'r', horizonMinutes: 180, meta: p.stations.map(() => ({ name: null, number: null, lat: 0, lon: 0 })), starts: p.trucks.map(() => ({ lat: 0, lon: 0 })) };
    const res = makePlan(p, ctx, { seed, timeLimitS: 30, maxIterations: 50 });
    assert.ok(res.plan.expected_failures_after <= res.plan.expected_failures_before + 1e-9);
  }
  assert.ok(optimal >= 28, `${optimal} of ${N} optimal`);
});

test('planner: deterministic for a seed and an iteration budget', () => {
  const p = randomProblem(5, 30, [{ capacity: 5, shiftS: 3600, startLoad: 0 }, { capacity: 5, shiftS: 3600, startLoad: 5 }], 30);
  const a = solvePlan(p, { seed: 3, timeLimitS: 60, maxIterations: 200 });
  const b = solvePlan(p, { seed: 3, timeLimitS: 60, maxIterations: 200 });
  assert.deepEqual(a.routes, b.routes);
  // Two trucks, many stations: the plan (and the greedy's) pass the checker, and no station is visited twice.
  const ctx = { system: 'x', atS: 1_700_000_000, timeZone: 'UTC', targetRun: 'r', horizonMinutes: 180, meta: p.stations.map(() => ({ name: null, number: null, lat: 0, lon: 0 })), starts: p.trucks.map(() => ({ lat: 0, lon: 0 })) };
  for (let seed = 1; seed <= 5; seed++) {
    const res = makePlan(p, ctx, { seed, timeLimitS: 60, maxIterations: 300 });
    const ids = res.plan.routes.flatMap((r) => r.stops.map((s) => s.station_id));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(res.plan.routes.every((r) => r.stops.length > 0), 'both trucks work');
  }
});

test('greedy dispatcher: nearest station with the largest need, as much as helps', () => {
  // Truck at x=0 with 4 bikes. Station A at 1 km short of 2 bikes (a steep curve), B at 2 km short
  // of 4, C at 30 km short of 4 (beyond the shift). The greedy goes to B (larger need, among the
  // nearest), drops all 4 (its whole need, 16 failures fewer), and then has nothing left to drop;
  // 2 at A and 2 at B would cut 12 + 12.
  const f = (best: number, a = 1) => (x: number) => a * (x - best) ** 2;
  const p: PlanProblem = {
    stations: [station('A', 0, 6, f(2, 3)), station('B', 0, 6, f(4)), station('C', 0, 6, f(4))],
    depot: 3, travel: lineTravel([1, 2, 30, 0]), handlingS: 30, stopS: 0, minMove: 1, driveWeightPerHour: 0,
    trucks: [{ id: 't1', capacity: 6, shiftS: 3600, startLoad: 4, start: 3 }],
  };
  const g = greedyDispatch(p);
  assert.deepEqual(g[0], { truck: 0, visits: [1], qty: [-4] });
  // The planner sees that 2 at A and 2 at B cut failures more (4 + 4 + ... vs 16).
  const s = solvePlan(p, { seed: 1, timeLimitS: 10, maxIterations: 100 });
  assert.ok(planObjective(p, s.routes).failuresAfter < planObjective(p, g).failuresAfter);
});

test('checker: catches wrong loads, counts, times, shifts and empty stations', () => {
  const f = (best: number) => (x: number) => (x - best) ** 2;
  const p: PlanProblem = {
    stations: [station('A', 5, 8, f(1)), station('B', 0, 8, f(4))],
    depot: 2, travel: lineTravel([1, 2, 0]), handlingS: 30, stopS: 0, minMove: 1, driveWeightPerHour: 0,
    trucks: [{ id: 't1', capacity: 6, shiftS: 3600, startLoad: 0, start: 2 }],
  };
  const ctx = { system: 'x', atS: 1_700_000_000, timeZone: 'Asia/Seoul', targetRun: 'r', horizonMinutes: 180, meta: p.stations.map(() => ({ name: null, number: null, lat: 0, lon: 0 })), starts: [{ lat: 0, lon: 0 }] };
  const good = assemblePlan(p, [{ truck: 0, visits: [0, 1], qty: [4, -4] }], ctx, 0);
  const input = checkInputOf(p);
  assert.deepEqual(checkPlan(good, input), { ok: true, errors: [] });
  assert.equal(good.routes[0]!.stops[0]!.arrival, isoLocal(1_700_000_000 + 300, 'Asia/Seoul'));
  assert.match(good.routes[0]!.stops[0]!.arrival, /\+09:00$/);
  const broken = (edit: (pl: typeof good) => void, pattern: RegExp) => {
    const pl = structuredClone(good);
    edit(pl);
    const c = checkPlan(pl, input);
    assert.ok(!c.ok && c.errors.some((e) => pattern.test(e)), `${pattern}: ${c.errors.join('; ')}`);
  };
  broken((pl) => (pl.routes[0]!.stops[0]!.load_after = 3), /load_after 3/);
  broken((pl) => { pl.routes[0]!.stops[0]!.collect = 7; }, /load 7 outside|takes 7 bikes/);
  broken((pl) => { pl.routes[0]!.stops[1]!.drop = 5; }, /load -1 outside/);
  broken((pl) => (pl.routes[0]!.stops[1]!.arrival = pl.routes[0]!.stops[0]!.arrival), /arrival/);
  broken((pl) => { delete pl.routes[0]!.stops[0]!.collect; }, /exactly one of collect and drop/);
  broken((pl) => (pl.expected_failures_after -= 1), /expected_failures_after/);
  broken((pl) => pl.routes[0]!.stops.push({ ...pl.routes[0]!.stops[0]! }), /already visited/);
  const short = checkInputOf({ ...p, trucks: [{ ...p.trucks[0]!, shiftS: 600 }] });
  assert.ok(checkPlan(good, short).errors.some((e) => /shift/.test(e)));
});

test('planner by zones: each truck stays in its zone; a fleet of another size is re-apportioned', () => {
  const p = randomProblem(9, 20, [{ capacity: 5, shiftS: 3600, startLoad: 2 }, { capacity: 5, shiftS: 3600, startLoad: 2 }], 30);
  const ctx = { system: 'x', atS: 1_700_000_000, timeZone: 'UTC', targetRun: 'r', horizonMinutes: 180, meta: p.stations.map(() => ({ name: null, number: null, lat: 0, lon: 0 })), starts: p.trucks.map(() => ({ lat: 0, lon: 0 })) };
  const a = Array.from({ length: 10 }, (_, i) => i), b = Array.from({ length: 10 }, (_, i) => i + 10);
  const ids = (xs: number[]) => xs.map((i) => p.stations[i]!.id);
  const res = planByZones(p, ctx, { name: 'ab', zones: [{ zone: 'A', trucks: 1, stations: ids(a) }, { zone: 'B', trucks: 1, stations: ids(b) }] }, { seed: 1, timeLimitS: 30, maxIterations: 100 });
  assert.deepEqual(res.plan.routes.map((r) => r.zone), ['A', 'B']);
  for (const r of res.plan.routes) for (const s of r.stops) assert.ok((r.zone === 'A' ? ids(a) : ids(b)).includes(s.station_id), `${s.station_id} in ${r.zone}`);
  // A set made for 4 trucks planned with 2: one truck per zone, and the plan says so.
  const other = planByZones(p, ctx, { name: 'ab4', zones: [{ zone: 'A', trucks: 3, stations: ids(a) }, { zone: 'B', trucks: 1, stations: ids(b) }] }, { seed: 1, timeLimitS: 30, maxIterations: 10 });
  assert.deepEqual(other.plan.routes.map((r) => r.zone), ['A', 'B']);
  assert.ok(other.plan.undone.some((u) => /made for 4 trucks, the fleet has 2/.test(u)));
});

test('solver: the construction keeps to the time limit', () => {
  // A limit already spent when the construction starts: no insertion is made (without the bound the
  // construction would route these trucks in full whatever the limit). Deterministic under any load.
  const trucks = Array.from({ length: 4 }, () => ({ capacity: 20, shiftS: 4 * 3600, startLoad: 5 }));
  const p = randomProblem(3, 200, trucks, 40);
  assert.ok(solvePlan(p, { seed: 1, timeLimitS: 60, maxIterations: 0 }).routes.some((r) => r.visits.length > 0));
  const r = solvePlan(p, { seed: 1, timeLimitS: 0 });
  assert.equal(r.iterations, 0);
  assert.deepEqual(r.routes.map((x) => x.visits.length), [0, 0, 0, 0]);
});

test('stop time and minimum move: arrivals count the fixed stop time; no small move unless the curve names a failure it avoids', () => {
  // A is 1 bike over its best (avoids 0.3 failures: not worth a stop with min_move 3), B 4 short
  // (a steep curve), C 1 short on a steep curve (avoids 2 failures: made although small).
  const p: PlanProblem = {
    stations: [station('A', 3, 6, (x) => 0.3 * (x - 2) ** 2), station('B', 0, 6, (x) => (x - 4) ** 2), station('C', 3, 6, (x) => 2 * (x - 4) ** 2)],
    depot: 3, travel: lineTravel([1, 2, 3, 0]), handlingS: 30, stopS: 180, minMove: 3, driveWeightPerHour: 0,
    trucks: [{ id: 't1', capacity: 6, shiftS: 7200, startLoad: 5, start: 3 }],
  };
  const res = makePlan(p, { system: 'x', atS: 1_700_000_000, timeZone: 'UTC', targetRun: 'r', horizonMinutes: 180, meta: p.stations.map(() => ({ name: null, number: null, lat: 0, lon: 0 })), starts: [{ lat: 0, lon: 0 }] }, { seed: 1, timeLimitS: 10, maxIterations: 50 });
  const stops = res.plan.routes[0]!.stops;
  assert.deepEqual(stops.map((s) => [s.station_id, s.collect ?? -s.drop!]).sort(), [['B', -4], ['C', -1]]);
  // Arrivals (either order is as short): the drive there, then 180 s stop + 30 s per bike + 300 s on.
  const [first, second] = stops.map((s) => Date.parse(s.arrival) / 1000 - 1_700_000_000);
  assert.equal(first, stops[0]!.station_id === 'B' ? 600 : 900);
  assert.equal(second, first! + 180 + 30 * stops[0]!.drop! + 300);
  assert.equal(res.plan.routes[0]!.handling_minutes, (2 * 180 + 5 * 30) / 60);
  // The checker knows both rules: a plan without the stop time, or with the 1-bike move at A, fails.
  const input = checkInputOf(p);
  const noStopTime = checkPlan(assemblePlan({ ...p, stopS: 0 }, [{ truck: 0, visits: [1, 2], qty: [-4, -1] }], { system: 'x', atS: 1_700_000_000, timeZone: 'UTC', targetRun: 'r', horizonMinutes: 180, meta: p.stations.map(() => ({ name: null, number: null, lat: 0, lon: 0 })), starts: [{ lat: 0, lon: 0 }] }, 0), input);
  assert.ok(noStopTime.errors.some((e) => /arrival/.test(e)), noStopTime.errors.join('; '));
  const small = checkPlan(assemblePlan(p, [{ truck: 0, visits: [0, 1], qty: [1, -4] }], { system: 'x', atS: 1_700_000_000, timeZone: 'UTC', targetRun: 'r', horizonMinutes: 180, meta: p.stations.map(() => ({ name: null, number: null, lat: 0, lon: 0 })), starts: [{ lat: 0, lon: 0 }] }, 0), input);
  assert.ok(small.errors.some((e) => /fewer than the minimum move 3/.test(e)), small.errors.join('; '));
  // The greedy dispatcher keeps the same rules.
  for (const r of greedyDispatch(p)) r.qty.forEach((q, k) => assert.ok(Math.abs(q) >= 3 || r.visits[k] === 2, `greedy moves ${q}`));
});

test('a truck heading to a stop starts there when it arrives; a warm start is kept where it still pays', () => {
  const p = randomProblem(11, 12, [{ capacity: 6, shiftS: 3600, startLoad: 3 }, { capacity: 6, shiftS: 3600, startLoad: 3 }], 30);
  const q: PlanProblem = { ...p, stopS: 120, minMove: 2, trucks: [{ ...p.trucks[0]!, start: 5, readyS: 240 }, p.trucks[1]!] };
  const ctx = { system: 'x', atS: 1_700_000_000, timeZone: 'UTC', targetRun: 'r', horizonMinutes: 180, meta: q.stations.map(() => ({ name: null, number: null, lat: 0, lon: 0 })), starts: q.trucks.map(() => ({ lat: 0, lon: 0 })) };
  const cold = makePlan(q, ctx, { seed: 1, timeLimitS: 10, maxIterations: 100 });
  const r0 = cold.plan.routes[0]!;
  // Nothing before the truck is free at its stop; a stop there, if any, is the first (no drive to it).
  if (r0.stops.length > 0) assert.ok(Date.parse(r0.stops[0]!.arrival) / 1000 >= 1_700_000_000 + 240);
  assert.ok(r0.stops.every((s, k) => s.station_id !== q.stations[5]!.id || k === 0));
  assert.ok(cold.plan.routes[1]!.stops.every((s) => s.station_id !== q.stations[5]!.id), 'the other truck stops where truck 1 is driving to');
  // The plan checker knows the rule: another truck there, or the truck's own stop there later, fails.
  const other = checkPlan(assemblePlan(q, [{ truck: 0, visits: [], qty: [] }, { truck: 1, visits: [5], qty: [q.stations[5]!.bikes > 0 ? 1 : -1] }], ctx, 0), checkInputOf(q));
  assert.ok(other.errors.some((e) => /driving to this station/.test(e)), other.errors.join('; '));
  // Warm: the cold plan's own routes, no iteration: the plan is at least as good as they are.
  const warm = solvePlan(q, { seed: 2, timeLimitS: 10, maxIterations: 0, initial: cold.solve.routes });
  assert.ok(planObjective(q, warm.routes).objective <= planObjective(q, cold.solve.routes).objective + 1e-9);
  // A warm route that no longer fits (a shorter shift) is cut to what fits, and the plan passes the checker.
  const tight: PlanProblem = { ...q, trucks: q.trucks.map((t) => ({ ...t, shiftS: 1500 })) };
  const cut = makePlan(tight, ctx, { seed: 1, timeLimitS: 10, maxIterations: 20, initial: cold.solve.routes });
  assert.ok(cut.plan.routes.every((r) => Date.parse(r.end) / 1000 - 1_700_000_000 <= 1500 + 1));
});

test('engine order: the routing engine shortens a zigzag route, keeps its stations and the stop the truck is heading to first', () => {
  // Six stations on a line at 1..6 km, the depot at 0; the truck holds 6 bikes; every station short.
  const f = (best: number) => (x: number) => (x - best) ** 2;
  const stations = [1, 2, 3, 4, 5, 6].map((x) => station(`s${x}`, 0, 6, f(2)));
  const base: PlanProblem = {
    stations, depot: 6, travel: lineTravel([1, 2, 3, 4, 5, 6, 0]), handlingS: 30, stopS: 60, minMove: 1, driveWeightPerHour: 0.5,
    trucks: [{ id: 't', capacity: 6, shiftS: 4 * 3600, startLoad: 6, start: 6 }],
  };
  const zigzag: TruckRoute = { truck: 0, visits: [5, 0, 4, 1, 3, 2], qty: [-1, -1, -1, -1, -1, -1] };
  const r = engineOrder(base, zigzag, { seed: 1, iterations: 300 })!;
  assert.ok(r !== null && r.savedS > 0);
  assert.deepEqual([...r.route.visits].sort(), [0, 1, 2, 3, 4, 5]);
  assert.ok(routeTiming(base, r.route).driveS < routeTiming(base, zigzag).driveS);
  // Quantities decided again for the new order: never worse than the zigzag's.
  assert.ok(planObjective(base, [r.route]).objective < planObjective(base, [zigzag]).objective);
  // Heading to s6 (place 5): the truck's start is there, and that stop stays first.
  const heading: PlanProblem = { ...base, trucks: [{ ...base.trucks[0]!, start: 5, readyS: 600 }] };
  const h = engineOrder(heading, { truck: 0, visits: [5, 0, 4, 1, 3, 2], qty: [-1, -1, -1, -1, -1, -1] }, { seed: 1, iterations: 300 })!;
  assert.equal(h.route.visits[0], 5);
  const res = makePlan(heading, { system: 'x', atS: 1_700_000_000, timeZone: 'UTC', targetRun: 'r', horizonMinutes: 180, meta: stations.map(() => ({ name: null, number: null, lat: 0, lon: 0 })), starts: [{ lat: 0, lon: 0 }] }, { seed: 1, timeLimitS: 10, maxIterations: 50, orderRoutes: true });
  assert.ok(checkPlan(res.plan, checkInputOf(heading)).ok);
});
