import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkSolution } from './checker.ts';
import { makeInstance, type Instance } from './instance.ts';
import { Rng } from './rng.ts';
import { solve } from './solve.ts';

/**
 * The exact optimum of a tiny visit_all instance (unlimited fleet, free start load) by enumeration:
 * the best single route of every subset over all its orders, then the best partition into routes.
 */
function bruteForce(inst: Instance): number {
  const m = inst.ids.length - 1;
  const N = inst.ids.length;
  const full = (1 << m) - 1;
  const route = new Float64Array(full + 1).fill(Infinity);
  const permute = (left: number[], order: number[]) => {
    if (left.length === 0) {
      let s = 0;
      let lo = 0;
      let hi = 0;
      let c = 0;
      let prev = 0;
      for (const v of order) {
        s += inst.demand[v]!;
        lo = Math.min(lo, s);
        hi = Math.max(hi, s);
        c += inst.cost[prev * N + v]!;
        prev = v;
      }
      c += inst.cost[prev * N]!;
      if (hi - lo > inst.capacity) return;
      let mask = 0;
      for (const v of order) mask |= 1 << (v - 1);
      route[mask] = Math.min(route[mask]!, c);
      return;
    }
    left.forEach((v, i) => permute([...left.slice(0, i), ...left.slice(i + 1)], [...order, v]));
  };
  for (let mask = 1; mask <= full; mask++) {
    const members: number[] = [];
    for (let v = 1; v <= m; v++) if (mask & (1 << (v - 1))) members.push(v);
    permute(members, []);
  }
  const best = new Float64Array(full + 1).fill(Infinity);
  best[0] = 0;
  for (let S = 1; S <= full; S++) {
    const low = S & -S;
    for (let T = S; T > 0; T = (T - 1) & S) if (T & low) best[S] = Math.min(best[S]!, route[T]! + best[S ^ T]!);
  }
  return best[full]!;
}

function randomInstance(seed: number, stations: number, visitAll: boolean): Instance {
  const rng = new Rng(seed);
  const capacity = rng.int(3, 12);
  const n = stations + 1;
  const xy = Array.from({ length: n }, () => [rng.int(0, 100), rng.int(0, 100)] as const);
  const cost = xy.map(([x1, y1], i) => xy.map(([x2, y2], j) => (i === j ? 0 : Math.round(Math.hypot(x1 - x2, y1 - y2)) + rng.int(0, 5))));
  const maxD = visitAll ? capacity : 2 * capacity + 3;
  const demand = [0, ...Array.from({ length: stations }, () => rng.int(-maxD, maxD))];
  return makeInstance({ name: `rand${seed}`, ids: ['depot', ...Array.from({ length: stations }, (_, i) => `s${i + 1}`)], demand, cost, capacity, visitAll });
}

test('finds the enumerated optimum of tiny instances', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const inst = randomInstance(seed, 3 + (seed % 4), true);
    const opt = bruteForce(inst);
    const r = solve(inst, { seed, maxIterations: 3000 });
    assert.ok(checkSolution(inst, r.routes, r.objective).ok);
    assert.equal(r.objective, opt, `instance ${seed}: solver ${r.objective}, optimum ${opt}`);
  }
});

test('the genetic search finds the enumerated optimum of tiny instances', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const inst = randomInstance(seed, 3 + (seed % 4), true);
    const opt = bruteForce(inst);
    const r = solve(inst, { seed, maxIterations: 300, strategy: 'genetic' });
    assert.ok(checkSolution(inst, r.routes, r.objective).ok);
    assert.equal(r.objective, opt, `instance ${seed}: solver ${r.objective}, optimum ${opt}`);
  }
});

test('every returned solution passes the checker and reports its true cost (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), (seed, stations, visitAll) => {
      const inst = randomInstance(seed, stations, visitAll);
      const r = solve(inst, { seed, maxIterations: 200, strategy: seed % 2 === 0 ? 'genetic' : 'annealing' });
      const check = checkSolution(inst, r.routes, r.objective);
      assert.deepEqual(check.errors, []);
      assert.ok(Math.abs(check.objective - r.objective) < 1e-9);
    }),
    { numRuns: 60 },
  );
});

test('a limited fleet with a fixed empty start load still yields checked routes or names the unserved', () => {
  const inst = makeInstance({
    name: 'fleet',
    ids: ['d', 'a', 'b', 'c'],
    demand: [0, 4, -4, -2],
    capacity: 5,
    vehicles: 1,
    startLoad: 0,
    cost: [
      [0, 1, 2, 3],
      [1, 0, 1, 2],
      [2, 1, 0, 1],
      [3, 2, 1, 0],
    ],
  });
  const r = solve(inst, { seed: 1, maxIterations: 500 });
  // Only 4 bikes ever come on board, so 'b' and 'c' (6 needed) cannot both be served.
  assert.equal(r.feasible, false);
  assert.equal(r.unserved.length, 1);
  const served = r.routes.flatMap((x) => x.stops.map((s) => s.id));
  assert.ok(served.includes('a'));
  assert.ok(r.routes.length <= 1);
});

test('a station beyond the route limit is reported unserved by every strategy, never served by an over-limit route', () => {
  // Depot at (0,0), four stations within 2 of it, one at (60,0): alone, a round trip of 120 > 100.
  const pts = [[0, 0], [1, 0], [2, 0], [0, 1], [0, 2], [60, 0]] as const;
  const cost = pts.map(([a, b]) => pts.map(([c, d]) => Math.hypot(a - c, b - d)));
  const inst = makeInstance({ name: 'far', ids: pts.map((_, i) => (i === 0 ? 'depot' : `s${i}`)), demand: [0, 3, -3, 2, -2, 1], cost, capacity: 5, maxRouteCost: 100, visitAll: true });
  for (const strategy of ['auto', 'genetic', 'annealing'] as const) {
    for (let seed = 1; seed <= 3; seed++) {
      const r = solve(inst, { seed, maxIterations: 2000, strategy });
      assert.equal(r.feasible, false, strategy);
      assert.deepEqual(r.unserved, ['s5'], strategy);
      for (const route of r.routes) assert.ok(route.cost <= 100, `${strategy}: route of cost ${route.cost}`);
    }
  }
});

test('same seed and iteration budget give the same answer', () => {
  const inst = randomInstance(7, 12, false);
  for (const strategy of ['annealing', 'genetic'] as const) {
    const a = solve(inst, { seed: 5, maxIterations: 500, strategy });
    const b = solve(inst, { seed: 5, maxIterations: 500, strategy });
    assert.deepEqual(a.routes, b.routes);
    assert.equal(a.objective, b.objective);
  }
});

test('solve: a warm start is searched from and never returned worse; one truck with a fixed start load', () => {
  // Stations on a line at x = 1..6, the depot at 0; demands alternate so a truck leaving with 2 bikes
  // can serve them in several orders. The warm start zigzags; the engine must return the shortest
  // feasible order it finds, never longer than the zigzag.
  const xs = [0, 1, 2, 3, 4, 5, 6];
  const cost = xs.map((a) => xs.map((b) => Math.abs(a - b)));
  const inst = makeInstance({ name: 'line', ids: xs.map((_, i) => (i === 0 ? 'depot' : `s${i}`)), demand: [0, -2, 2, -2, 2, -2, 2], cost, capacity: 4, vehicles: 1, startLoad: 2, visitAll: true });
  const zigzag = [1, 6, 3, 4, 5, 2];
  const zigzagCost = inst.cost[0 * 7 + 1]! + [1, 6, 3, 4, 5, 2].slice(1).reduce((c, v, i) => c + Math.abs(xs[v]! - xs[zigzag[i]!]!), 0) + xs[2]!;
  const r = solve(inst, { seed: 1, maxIterations: 300, strategy: 'annealing', initial: [zigzag] });
  assert.ok(r.feasible);
  assert.ok(checkSolution(inst, r.routes, r.objective).ok);
  assert.ok(r.objective <= zigzagCost + 1e-9, `${r.objective} > warm start ${zigzagCost}`);
  assert.equal(r.objective, 12, 'out along the line and back: 6 + 6');
  assert.throws(() => solve(makeInstance({ name: 'x', ids: ['d', 'a'], demand: [0, 1], cost: [[0, 1], [1, 0]], capacity: 2 }), { initial: [[1]] }), /visit_all/);
});
