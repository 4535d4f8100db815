// The re-plan step (issue 21): targets from the live bikes and the rates, then every truck planned
// from where it is, with what it carries, the stop it drives to kept first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asStationId } from '../../platform/ids.ts';
import type { Fleet } from '../planning/fleet.ts';
import type { ForecastRates } from '../targets/store.ts';
import { replanFleet } from './replan.ts';

const AT = Date.parse('2023-04-03T15:10:00Z') / 1000;
const st = (id: string, lat: number, lon: number) => ({ station_id: asStationId(id), name: null, district: null, racks: 20, lat, lon });
const stations = [st('empty', 37.771, -122.411), st('full', 37.775, -122.415), st('calm', 37.78, -122.42)];
const flat = (x: number) => new Float64Array(6).fill(x);
// 'empty' loses 8 bikes an hour, 'full' gains 8, 'calm' neither.
const rates: ForecastRates = {
  runId: 'test', start: Math.floor(AT / 3600) * 3600 - 3600, hours: 6,
  stations: new Map([
    ['empty', { pickups: flat(8), returns: flat(0.1), pickupSize: flat(Infinity), returnSize: flat(Infinity) }],
    ['full', { pickups: flat(0.1), returns: flat(8), pickupSize: flat(Infinity), returnSize: flat(Infinity) }],
    ['calm', { pickups: flat(1), returns: flat(1), pickupSize: flat(Infinity), returnSize: flat(Infinity) }],
  ]),
};
const state = new Map([['empty', 1], ['full', 19], ['calm', 10]].map(([id, b]) => [id as string, { bikes: b as number, racks: 20, usable: 20 }]));
const depot = { lat: 37.77, lon: -122.41 };
const base: Omit<Fleet, 'trucks'> = { depot, speedKmh: 20, detour: 1.3, handlingSPerBike: 30, stopMinutes: 3, minMove: 3 };

test('a free empty truck collects at the filling station and drops at the draining one', () => {
  const fleet: Fleet = { ...base, trucks: [{ id: 'v', capacity: 20, shiftMinutes: 120, startLoad: 0, start: depot, ownStart: false }] };
  const r = replanFleet({ system: 'x', timeZone: 'America/Los_Angeles', atS: AT, stations, state, rates, fleet }, { policy: { kind: 'hard' }, timeLimitS: 5, maxIterations: 300 });
  const stops = r.plan.routes[0]!.stops;
  assert.deepEqual(stops.map((s) => s.station_id), ['full', 'empty']);
  assert.ok(stops[0]!.collect! >= 3 && stops[1]!.drop! >= 3);
  assert.ok(r.plan.expected_failures_after < r.plan.expected_failures_before);
  assert.equal(r.targets.length, 3);
});

test('a truck driving to a stop keeps it first, plans from there with what it carries, and a stop it reached is not planned again', () => {
  const fleet: Fleet = { ...base, trucks: [{ id: 'v', capacity: 20, shiftMinutes: 120, startLoad: 12, start: depot, ownStart: true, headingTo: { stationId: asStationId('calm'), minutes: 4 } }] };
  const r = replanFleet({ system: 'x', timeZone: 'America/Los_Angeles', atS: AT, stations, state, rates, fleet }, { policy: { kind: 'hard' }, timeLimitS: 5, maxIterations: 300 });
  const route = r.plan.routes[0]!;
  assert.equal(route.start_load, 12);
  // It carries 12 bikes: the draining station gets them; whatever it does at 'calm', it is there first.
  const ids = route.stops.map((s) => s.station_id);
  assert.ok(ids.includes(asStationId('empty')));
  if (ids[0] !== 'calm') assert.ok(Date.parse(route.stops[0]!.arrival) / 1000 >= AT + 4 * 60, 'the first stop is reached after the one it drives to');
  for (const s of route.stops) assert.ok(s.load_after >= 0 && s.load_after <= 20);
});

test("operators' station weights (the service's station rules): a forbidden station (0) gets no stop but keeps its target; a pinned one weighs more", () => {
  const fleet: Fleet = { ...base, trucks: [{ id: 'v', capacity: 20, shiftMinutes: 120, startLoad: 0, start: depot, ownStart: false }] };
  const input = { system: 'x', timeZone: 'America/Los_Angeles', atS: AT, stations, state, rates, fleet };
  const opts = { policy: { kind: 'hard' } as const, timeLimitS: 5, maxIterations: 300 };
  const forbidden = replanFleet(input, { ...opts, stationWeights: new Map([['empty', 0]]) });
  assert.ok(!forbidden.plan.routes[0]!.stops.some((s) => s.station_id === 'empty'), 'no stop at the forbidden station');
  assert.equal(forbidden.targets.length, 3, 'its target is still computed');
  const plain = replanFleet(input, opts);
  const pinned = replanFleet(input, { ...opts, stationWeights: new Map([['empty', 3]]) });
  assert.ok(pinned.plan.expected_failures_before > plain.plan.expected_failures_before, 'the pinned station\'s failures weigh 3x in the objective');
});

test('moveCostPerBike: a move is made only when it avoids at least that many expected failures per bike moved', () => {
  const fleet: Fleet = { ...base, trucks: [{ id: 'v', capacity: 20, shiftMinutes: 120, startLoad: 0, start: depot, ownStart: false }] };
  const input = { system: 'x', timeZone: 'America/Los_Angeles', atS: AT, stations, state, rates, fleet };
  const opts = { policy: { kind: 'hard' } as const, timeLimitS: 5, maxIterations: 300 };
  const moved = (r: ReturnType<typeof replanFleet>) => r.plan.routes[0]!.stops.reduce((a, s) => a + (s.collect ?? 0) + (s.drop ?? 0), 0);
  const free = replanFleet(input, opts);
  const avoided = free.plan.expected_failures_before - free.plan.expected_failures_after;
  const perBike = avoided / moved(free);
  assert.ok(moved(free) >= 6 && perBike > 0, `moved ${moved(free)}, ${perBike} avoided per bike`);
  // A charge above what the best move avoids per bike: no move is worth it.
  assert.equal(moved(replanFleet(input, { ...opts, moveCostPerBike: 2 * perBike + 1 })), 0);
  // A small charge trims the moves at the margin (fewer or as many bikes), never adds any; nothing is charged before a move.
  const some = replanFleet(input, { ...opts, moveCostPerBike: perBike / 2 });
  assert.ok(moved(some) > 0 && moved(some) <= moved(free), `moved ${moved(some)} of ${moved(free)}`);
  assert.equal(some.plan.expected_failures_before, free.plan.expected_failures_before);
});
