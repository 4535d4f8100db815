// The rolling policy's inputs as the service makes them: the fleet as it is now (paused trucks out,
// where each truck is and what it carries from the drivers' reports, the stop it drives to kept),
// and the operators' station rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asStationId } from '../../platform/ids.ts';
import { parseFleet } from '../../rebalancing/planning/fleet.ts';
import type { Plan, PlanStop } from '../../rebalancing/planning/plan.ts';
import { SystemLive } from '../live-state.ts';
import { fleetNow, PIN_WEIGHT, stationWeights } from './cycle.ts';

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
  const f = fleetNow(fleet, s, NOW);
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
