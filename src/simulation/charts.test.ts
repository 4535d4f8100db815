// The simulator's charts: the failure map frames the city where the failures are when a system
// spreads over several (Bay Wheels: San Francisco, the East Bay, San Jose) and says what it leaves off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { framedStations, simulationCharts } from './charts.ts';
import type { ReplayResult } from './replay.ts';
import { stationsOf } from './world.ts';

const sf = [0, 1, 2, 3].map((k) => ({ id: `sf${k}`, lat: 37.77 + k * 0.005, lon: -122.42, capacity: 10, bikes: 5 }));
const sj = [{ id: 'sj0', lat: 37.33, lon: -121.89, capacity: 10, bikes: 5 }];
const stations = stationsOf([...sf, ...sj]);

test('framing: the radius around the failures holding 90% of them; a far town with few failures left off', () => {
  const f = framedStations(stations, [30, 30, 20, 15, 5], false);
  assert.deepEqual(Array.from(f.keep), [1, 1, 1, 1, 0]);
  assert.ok(f.radiusKm! >= 2 && f.radiusKm! < 10, `${f.radiusKm}`);
  // With district boundaries (a city's own frame) or no failure, every station.
  assert.deepEqual(Array.from(framedStations(stations, [30, 30, 20, 15, 5], true).keep), [1, 1, 1, 1, 1]);
  assert.equal(framedStations(stations, [0, 0, 0, 0, 0], false).radiusKm, null);
});

test('charts: the per-hour chart and a map per policy, the map naming what it left off', () => {
  const run = (policy: string, by: number[]): ReplayResult => ({
    policy, failuresByStation: Int32Array.from(by), failuresByHour: Int32Array.from([by.reduce((a, b) => a + b, 0), 0]),
    failedRentals: by.reduce((a, b) => a + b, 0), failedReturns: 0, detours: 0, detourKm: 0, bikesMoved: 0,
  } as unknown as ReplayResult);
  const from = Date.parse('2023-05-01T07:00:00Z') / 1000;
  const charts = simulationCharts({ system: 'baywheels', from, to: from + 7200, timeZone: 'America/Los_Angeles', demand: 'status', source: 'test' }, stations, [run('none', [30, 30, 20, 15, 5]), run('reactive', [10, 0, 0, 0, 5])], []);
  assert.deepEqual(charts.map((c) => c.name), ['failures_by_hour', 'failure_map_none', 'failure_map_reactive']);
  assert.match(charts[1]!.svg, /5 failures at 1 stations beyond it left off/);
  assert.match(charts[0]!.svg, /none: 100 rentals/);
});
