// Planning by zones on hand cases: the split (stations, trucks, travel through the renumbering) and
// the merged plan, which the independent checker must accept on the city-wide problem.
import { asStationId } from '../../platform/ids.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planByZones, splitByZones, zoneCost } from './by-zones.ts';
import { checkPlan } from './check.ts';
import { checkInputOf, makePlan } from './planner.ts';
import type { PlanProblem, PlanStation } from '../routing/prize-instance.ts';

// Two clusters on a line (x in km, 300 s per km): west s0-s2 around x=0, east s3-s5 around x=10;
// the depot in the middle (x=5); t3 starts on its own at x=11.
const xs = [0, 0.5, 1, 10, 10.5, 11, 5, 11];
const station = (id: string, bikes: number, capacity: number, best: number): PlanStation => ({ id: asStationId(id), bikes, capacity, failures: Float64Array.from({ length: capacity + 1 }, (_, x) => 0.5 * Math.abs(x - best)) });
function problem(): PlanProblem {
  return {
    stations: [station('w0', 10, 10, 2), station('w1', 0, 10, 8), station('w2', 5, 10, 5), station('e0', 9, 10, 1), station('e1', 1, 10, 9), station('e2', 0, 10, 6)],
    depot: 6,
    trucks: [
      { id: 't1', capacity: 10, shiftS: 3 * 3600, startLoad: 0, start: 6 },
      { id: 't2', capacity: 10, shiftS: 3 * 3600, startLoad: 0, start: 6 },
      { id: 't3', capacity: 10, shiftS: 3 * 3600, startLoad: 2, start: 7 },
    ],
    travel: { n: 8, source: 'line', seconds: (a, b) => Math.abs(xs[a]! - xs[b]!) * 300 },
    handlingS: 30, stopS: 0, minMove: 1,
    driveWeightPerHour: 0.1,
  };
}
const ctx = (p: PlanProblem) => ({
  system: 'test', atS: Date.parse('2025-06-02T08:00:00+09:00') / 1000, timeZone: 'Asia/Seoul', targetRun: 'r', horizonMinutes: 180,
  meta: p.stations.map((s, i) => ({ name: s.id, number: String(i), lat: 37.5, lon: 127 + xs[i]! / 88 })),
  starts: p.trucks.map((t) => ({ lat: 37.5, lon: 127 + xs[t.start]! / 88 })),
});
const set = { name: 'we', zones: [{ zone: 'west', trucks: 1, stations: ['w0', 'w1', 'w2'] }, { zone: 'east', trucks: 2, stations: ['e0', 'e1', 'e2'] }] };

test('split: each zone its stations, the depot, its trucks; travel read through the renumbering', () => {
  const p = problem();
  const s = splitByZones(p, ctx(p), set);
  const [w, e] = s.zones;
  assert.deepEqual(w!.problem.stations.map((x) => x.id), ['w0', 'w1', 'w2']);
  assert.deepEqual(e!.problem.stations.map((x) => x.id), ['e0', 'e1', 'e2']);
  // t3 starts in the east: it goes there; t1 (depot) takes the west's one slot, t2 the east's other.
  assert.deepEqual(w!.problem.trucks.map((t) => t.id), ['t1']);
  assert.deepEqual(e!.problem.trucks.map((t) => t.id).sort(), ['t2', 't3']);
  // Place numbering: stations 0..2, depot 3, t3's own start 4; times equal the city-wide ones.
  assert.equal(e!.problem.depot, 3);
  const t3 = e!.problem.trucks.find((t) => t.id === 't3')!;
  assert.equal(t3.start, 4);
  assert.equal(e!.problem.travel.seconds(0, 3), p.travel.seconds(3, 6));
  assert.equal(e!.problem.travel.seconds(4, 1), p.travel.seconds(7, 4));
  assert.deepEqual(e!.ctx.meta.map((m) => m.name), ['e0', 'e1', 'e2']);
  assert.equal(s.outside, 0);
  // A fleet of another size: trucks re-apportioned in the set's proportions.
  const small = { ...p, trucks: p.trucks.slice(0, 2) };
  assert.deepEqual(splitByZones(small, { ...ctx(p), starts: ctx(p).starts.slice(0, 2) }, set).trucks, [1, 1]);
});

test('plan by zones: every truck stays in its zone, the merged plan passes the checker on the whole problem', () => {
  const p = problem();
  const z = planByZones(p, ctx(p), set, { seed: 1, timeLimitS: 2, maxIterations: 200 });
  const ok = checkPlan(z.plan, checkInputOf(p));
  assert.ok(ok.ok, ok.errors.join('; '));
  assert.deepEqual(z.plan.routes.map((r) => r.truck), ['t1', 't2', 't3']);
  const zoneOf = new Map(set.zones.flatMap((zz) => zz.stations.map((id) => [id, zz.zone] as const)));
  for (const r of z.plan.routes) for (const s of r.stops) assert.equal(zoneOf.get(s.station_id), r.zone, `${r.truck} at ${s.station_id}`);
  assert.ok(z.plan.routes.some((r) => r.stops.length > 0));
  // Before: the whole problem's; after: what the zone plans took off it.
  const city = makePlan(p, ctx(p), { seed: 1, timeLimitS: 2, maxIterations: 200 });
  assert.equal(z.plan.expected_failures_before, city.plan.expected_failures_before);
  const zoneCut = z.zones.reduce((a, x) => a + x.failures_before - x.failures_after, 0);
  assert.ok(Math.abs(z.plan.expected_failures_before - z.plan.expected_failures_after - zoneCut) < 1e-3);
  assert.ok(z.plan.expected_failures_after < z.plan.expected_failures_before);
  const greedyOk = checkPlan(z.greedy, checkInputOf(p));
  assert.ok(greedyOk.ok, greedyOk.errors.join('; '));
  // A station in no zone keeps its failures and is said to be left.
  const partial = { name: 'p', zones: [{ zone: 'west', trucks: 3, stations: ['w0', 'w1', 'w2'] }] };
  const zp = planByZones(p, ctx(p), partial, { seed: 1, timeLimitS: 1, maxIterations: 50 });
  assert.ok(zp.plan.routes.every((r) => r.stops.every((s) => s.station_id.startsWith('w'))));
  assert.match(zp.notes.join(' '), /3 stations of the target run are in no zone/);
});

test('zone cost: the same problem city-wide and by zones, side by side', () => {
  const p = problem();
  // One zone holding everything with all trucks is the city-wide problem: nothing to lose.
  const all = { name: 'all', zones: [{ zone: 'all', trucks: 3, stations: p.stations.map((s) => s.id) }] };
  const same = zoneCost(p, ctx(p), all, { seed: 1, timeLimitS: 2, maxIterations: 200 });
  assert.equal(same.city.expected_failures_after, same.zones.expected_failures_after);
  assert.equal(same.cut_lost, 0);
  // The west zone with no truck at all: its whole share of the cut is lost.
  const noWest = { name: 'nw', zones: [{ zone: 'west', trucks: 0, stations: ['w0', 'w1', 'w2'] }, { zone: 'east', trucks: 3, stations: ['e0', 'e1', 'e2'] }] };
  const c = zoneCost(p, ctx(p), noWest, { seed: 1, timeLimitS: 2, maxIterations: 200 });
  assert.ok(c.zones.expected_failures_after > c.city.expected_failures_after, JSON.stringify(c));
  assert.ok(c.cut_lost > 0 && c.cut_lost < 1);
  assert.equal(c.expected_failures_before, 19);
  assert.ok(c.city.driving_hours > 0 && c.city.stops > 0);
});
