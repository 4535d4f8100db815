// planFleet, the planning library's entry: from stations with curves and a fleet's state to a
// checked plan; a truck driving to a stop keeps it first; a re-plan warm-starts from the last plan.
import { asStationId } from '../../platform/ids.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../platform/util/random.ts';
import { checkPlan } from './check.ts';
import { parseFleet } from './fleet.ts';
import { planFleet, routesOfPlan } from './plan-fleet.ts';
import { checkInputOf } from './planner.ts';
import type { PlanStationRow } from './build.ts';
import type { TargetStationRow } from './store.ts';

/** 40 stations on a 4 x 4 km square with convex curves whose best level is random. */
function rows(seed: number): TargetStationRow[] {
  const u = mulberry32(seed);
  return Array.from({ length: 40 }, (_, i) => {
    const cap = 10 + Math.floor(u() * 10);
    const best = u() * cap;
    const a = 0.05 + 0.2 * u();
    const curve = Array.from({ length: cap + 1 }, (_, x) => a * (x - best) ** 2);
    return {
      station_id: asStationId(`S${i}`), current: Math.floor(u() * (cap + 1)), capacity: cap,
      failed_rentals: JSON.stringify(curve), failed_returns: JSON.stringify(curve.map(() => 0)),
      name: null, number: null, district: null, lat: 37.5 + 0.036 * u(), lon: 127 + 0.045 * u(),
    };
  });
}

const AT = Date.parse('2025-06-02T08:00:00+09:00') / 1000;
const input = (st: readonly PlanStationRow[], atS = AT) => ({ system: 'x', atS, timeZone: 'Asia/Seoul', targetRun: 'r', horizonMinutes: 180, stations: st });
const fleetText = (trucks: object[]) => JSON.stringify({ depot: { lat: 37.518, lon: 127.022 }, stop_minutes: 3, min_move: 3, trucks });

for (const planner of ['engine'] as const) {
test(`planFleet (${planner}): a checked plan; every move of at least min_move bikes or naming a failure`, () => {
  const st = rows(1);
  const fleet = parseFleet(fleetText([{ id: 'a', capacity: 12, shift_minutes: 90, start_load: 4 }, { id: 'b', capacity: 12, shift_minutes: 60 }]), 'f');
  const r = planFleet(input(st), fleet, { timeLimitS: 10, seed: 1, maxIterations: 100, planner });
  assert.ok(checkPlan(r.plan, checkInputOf(r.built.problem)).ok);
  assert.ok(r.plan.expected_failures_after < r.plan.expected_failures_before);
  assert.ok(r.plan.expected_failures_after <= r.plan.greedy_failures_after + 1e-9);
  assert.deepEqual(r.routes.map((x) => x.visits.map((v) => r.built.problem.stations[v]!.id)), r.plan.routes.map((x) => x.stops.map((s) => s.station_id)));
});

test(`planFleet (${planner}): a truck heading to a stop starts its plan there; a warm re-plan 15 minutes on passes the checker`, () => {
  const st = rows(2);
  const fleet = parseFleet(fleetText([{ id: 'a', capacity: 12, shift_minutes: 120, start_load: 6 }, { id: 'b', capacity: 12, shift_minutes: 120 }]), 'f');
  const first = planFleet(input(st), fleet, { timeLimitS: 10, seed: 1, maxIterations: 100, planner });
  const a = first.plan.routes[0]!;
  assert.ok(a.stops.length >= 2);
  // 15 minutes on: truck a is driving to its next stop not yet reached; the others did nothing.
  const at2 = AT + 900;
  const next = a.stops.find((s) => Date.parse(s.arrival) / 1000 >= at2)!;
  const eta = (Date.parse(next.arrival) / 1000 - at2) / 60;
  const done = a.stops.filter((s) => Date.parse(s.arrival) / 1000 < at2);
  const load = done.length ? done[done.length - 1]!.load_after : 6;
  const moved = new Map(done.map((s) => [s.station_id, s.bikes_after!]));
  const st2 = st.map((x) => (moved.has(x.station_id) ? { ...x, current: moved.get(x.station_id)! } : x));
  const fleet2 = parseFleet(fleetText([{ id: 'a', capacity: 12, shift_minutes: 105, start_load: load, heading_to: { station_id: next.station_id, minutes: eta } }, { id: 'b', capacity: 12, shift_minutes: 105 }]), 'f');
  const again = planFleet(input(st2, at2), fleet2, { timeLimitS: 10, seed: 1, maxIterations: 0, warmStart: first.plan, planner });
  assert.ok(checkPlan(again.plan, checkInputOf(again.built.problem)).ok);
  const a2 = again.plan.routes[0]!;
  assert.deepEqual(a2.start, { lat: next.lat, lon: next.lon });
  // The stop it is driving to stays first (when the plan still stops there).
  const at = a2.stops.findIndex((s) => s.station_id === next.station_id);
  assert.ok(at <= 0, `the stop truck a is heading to is stop ${at + 1}`);
  assert.ok(a2.stops.every((s) => Date.parse(s.arrival) / 1000 >= Date.parse(next.arrival) / 1000 - 1));
  // Without iterations the warm plan keeps the old one's remaining stops where they still pay.
  const kept = routesOfPlan(first.plan, again.built.problem, at2)[0]!.visits.map((v) => again.built.problem.stations[v]!.id);
  assert.ok(kept.filter((id) => a2.stops.some((s) => s.station_id === id)).length >= Math.min(1, kept.length));
});
}

test('planFleet by zones: a warm start stays in each truck zone and the plan passes the checker', () => {
  const st = rows(3);
  const fleet = parseFleet(fleetText([{ id: 'a', capacity: 12, shift_minutes: 90, start_load: 6 }, { id: 'b', capacity: 12, shift_minutes: 90, start_load: 6 }]), 'f');
  const zones = { name: 'ew', zones: [{ zone: 'W', trucks: 1, stations: st.filter((x) => x.lon! < 127.0225).map((x) => x.station_id) }, { zone: 'E', trucks: 1, stations: st.filter((x) => x.lon! >= 127.0225).map((x) => x.station_id) }] };
  const first = planFleet(input(st), fleet, { timeLimitS: 10, seed: 1, maxIterations: 50, zones });
  const again = planFleet(input(st), fleet, { timeLimitS: 10, seed: 2, maxIterations: 0, zones, warmStart: first.plan });
  assert.ok(checkPlan(again.plan, checkInputOf(again.built.problem)).ok);
  for (const r of again.plan.routes) {
    const mine = new Set(zones.zones.find((z) => z.zone === r.zone)!.stations);
    assert.ok(r.stops.every((s) => mine.has(s.station_id)));
  }
  // No iterations: the warm plan is at least as good as the plan it started from.
  assert.ok(again.plan.expected_failures_after <= first.plan.expected_failures_after + 0.05 * Math.max(1, first.plan.expected_failures_before - first.plan.expected_failures_after));
});

test('planFleet: curves as arrays (a caller with its own state) plan as the stored JSON text does', () => {
  const st = rows(4);
  const fleet = parseFleet(fleetText([{ id: 'a', capacity: 12, shift_minutes: 60, start_load: 4 }]), 'f');
  const asArrays = st.map((x) => ({ ...x, failed_rentals: JSON.parse(x.failed_rentals) as number[], failed_returns: JSON.parse(x.failed_returns) as number[] }));
  const a = planFleet(input(st), fleet, { timeLimitS: 10, seed: 1, maxIterations: 20 });
  const b = planFleet(input(asArrays), fleet, { timeLimitS: 10, seed: 1, maxIterations: 20 });
  assert.deepEqual(b.routes, a.routes);
});
