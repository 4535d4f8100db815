// The rolling policy's inputs as the service makes them: the fleet as it is now (paused trucks out,
// where each truck is and what it carries from the drivers' reports, the stop it drives to kept),
// the time left of each truck's shift, and the operators' station rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asStationId } from '../../platform/ids.ts';
import { parseFleet } from '../../rebalancing/planning/fleet.ts';
import type { Plan, PlanStop } from '../../rebalancing/planning/plan.ts';
import { SystemLive } from '../live-state.ts';
import { fleetNow, PIN_WEIGHT, stationWeights } from './cycle.ts';
import { shiftAt } from './shift.ts';
import { parseServeConfig } from '../config.ts';

const fleet = parseFleet(JSON.stringify({ depot: { lat: 37.77, lon: -122.41 }, trucks: [
  { id: 'a', capacity: 20, shift_minutes: 180, start_load: 2 }, { id: 'b', capacity: 20, shift_minutes: 180 }, { id: 'c', capacity: 20, shift_minutes: 180 },
] }), 'fleet.json');
const NOW = Date.parse('2023-05-31T17:00:00Z');
const stop = (id: string, minutes: number): PlanStop => ({
  station_id: asStationId(id), name: null, number: null, lat: 37.78, lon: -122.42, collect: 3, arrival: new Date(NOW + minutes * 60_000).toISOString(),
  load_after: 3, bikes_before: null, bikes_after: null, failures_before: 0, failures_after: 0,
});

test('fleetNow: paused trucks left out; position, load and the next unreported stop ahead from the reports', () => {
  const s = new SystemLive('x', 'x', 'UTC', fleet.trucks);
  s.issued = {
    planId: 'p', state: 'issued', proposedAtMs: NOW - 3_600_000, issuedAtMs: NOW - 3_600_000,
    plan: { routes: [{ truck: 'a', stops: [stop('S1', -20), stop('S2', 5), stop('S3', 30)] }, { truck: 'b', stops: [stop('S4', -5)] }] } as unknown as Plan,
  };
  const a = s.trucks.get('a')!;
  a.reported.add('S1');
  a.load = 5;
  a.position = { lat: 37.7, lon: -122.5, atMs: NOW - 60_000 };
  s.trucks.get('c')!.paused = true;
  const f = fleetNow(fleet, s, NOW, { start: null, horizonMinutes: 180 }).fleet;
  assert.deepEqual(f.trucks.map((t) => t.id), ['a', 'b']);
  const ta = f.trucks[0]!;
  assert.equal(ta.startLoad, 5);
  assert.deepEqual(ta.start, { lat: 37.7, lon: -122.5 });
  assert.deepEqual(ta.headingTo, { stationId: 'S2', minutes: 5 });
  // b's only stop is behind it and unreported: it is not driving anywhere the plan knows of.
  assert.equal(f.trucks[1]!.headingTo, undefined);
  assert.equal(f.trucks[1]!.startLoad, 0);
});

test('stationWeights: a forbidden station weighs 0 (left out of the plan), a pinned one PIN_WEIGHT', () => {
  assert.deepEqual([...stationWeights(new Map([['A', 'forbid'], ['B', 'pin']] as const))], [['A', 0], ['B', PIN_WEIGHT]]);
});

test('shiftAt: one shift a day from shift_start (yesterday\'s when it runs past midnight), else back to back from local midnight', () => {
  const la = 'America/Los_Angeles';
  const at = (iso: string) => Date.parse(iso);
  // 07:00 PDT = 14:00 UTC; a 180-min shift ends 10:00 PDT.
  assert.deepEqual(shiftAt(at('2023-05-31T16:30:00Z'), la, 180, '07:00'), { startMs: at('2023-05-31T14:00:00Z'), endMs: at('2023-05-31T17:00:00Z') });
  assert.equal(shiftAt(at('2023-05-31T17:00:00Z'), la, 180, '07:00'), null, 'at its end');
  assert.equal(shiftAt(at('2023-05-31T13:59:00Z'), la, 180, '07:00'), null, 'before it');
  // A 22:00 shift of 600 min: at 03:00 the next morning it is yesterday's shift.
  assert.deepEqual(shiftAt(at('2023-05-31T10:00:00Z'), la, 600, '22:00'), { startMs: at('2023-05-31T05:00:00Z'), endMs: at('2023-05-31T15:00:00Z') });
  // No shift_start: 180-min shifts from local midnight (00:00 PDT = 07:00 UTC); 16:30 UTC is 09:30 PDT, in the 09:00-12:00 shift.
  assert.deepEqual(shiftAt(at('2023-05-31T16:30:00Z'), la, 180, null), { startMs: at('2023-05-31T16:00:00Z'), endMs: at('2023-05-31T19:00:00Z') });
  // 420-min shifts do not divide the day: the last one (21:00) ends at midnight.
  assert.deepEqual(shiftAt(at('2023-06-01T05:00:00Z'), la, 420, null), { startMs: at('2023-06-01T04:00:00Z'), endMs: at('2023-06-01T07:00:00Z') });
});

test('fleetNow: each truck gets only the time left of its shift; a truck off shift (or with under 10 min left) is not planned, and a stop it cannot reach in time is not kept', () => {
  const s = new SystemLive('x', 'x', 'UTC', fleet.trucks);
  s.issued = {
    planId: 'p', state: 'issued', proposedAtMs: NOW - 3_600_000, issuedAtMs: NOW - 3_600_000,
    plan: { routes: [{ truck: 'a', stops: [stop('S2', 50)] }] } as unknown as Plan,
  };
  // NOW is 17:00 UTC. Shift from 15:00 for 180 min: 60 min left; the stop 50 min away is kept.
  let r = fleetNow(fleet, s, NOW, { start: '15:00', horizonMinutes: 180 });
  assert.deepEqual(r.fleet.trucks.map((t) => [t.id, t.shiftMinutes]), [['a', 60], ['b', 60], ['c', 60]]);
  assert.deepEqual(r.fleet.trucks[0]!.headingTo, { stationId: 'S2', minutes: 50 });
  // From 14:05: 5 min left is not worth a plan; from 14:15, 15 min are, too short to reach S2 at 50 min.
  assert.deepEqual(fleetNow(fleet, s, NOW, { start: '14:05', horizonMinutes: 180 }).offShift, ['a', 'b', 'c']);
  r = fleetNow(fleet, s, NOW, { start: '14:15', horizonMinutes: 180 });
  assert.deepEqual(r.fleet.trucks.map((t) => t.shiftMinutes), [15, 15, 15]);
  assert.equal(r.fleet.trucks[0]!.headingTo, undefined);
  // Off shift before the start; a fresh shift is capped at the horizon plus the drive home, as in the simulator.
  assert.deepEqual(fleetNow(fleet, s, NOW, { start: '18:00', horizonMinutes: 180 }).offShift, ['a', 'b', 'c']);
  assert.deepEqual(fleetNow(fleet, s, NOW, { start: '17:00', horizonMinutes: 60 }).fleet.trucks.map((t) => t.shiftMinutes), [90, 90, 90]);
});

test('config: shift_start is a system\'s HH:MM, refused otherwise naming the field', () => {
  const cfg = (shift: unknown) => parseServeConfig(JSON.stringify({ systems: [{ id: 'x', gbfs_url: 'http://127.0.0.1:9/gbfs.json', shift_start: shift }] }), '/tmp/serve.json');
  assert.equal(cfg('06:30').systems[0]!.shiftStart, '06:30');
  assert.throws(() => cfg('6:30'), /config \/tmp\/serve.json, field 'systems\[0\].shift_start': expected HH:MM \(local time\), got '6:30'/);
  assert.equal(parseServeConfig(JSON.stringify({ systems: [{ id: 'x', gbfs_url: 'http://127.0.0.1:9/gbfs.json' }] }), '/tmp/serve.json').systems[0]!.shiftStart, undefined);
});
