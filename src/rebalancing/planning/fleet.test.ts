// The fleet file and the travel-time sources: defaults, every bad field named, the matrix form.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../platform/bundled-data.ts';
import { areaOf, parseFleet } from './fleet.ts';
import { haversineKm, haversineTravel, matrixTravel, parseMatrix } from './travel.ts';

const SEOUL = areaOf([{ lat: 37.43, lon: 126.8 }, { lat: 37.69, lon: 127.18 }]);
const ok = { depot: { lat: 37.56, lon: 126.97 }, speed_kmh: 20, detour: 1.3, handling_s_per_bike: 30, trucks: [{ id: 't1', capacity: 20, shift_minutes: 180, start_load: 0 }] };

test('fleet: the contract example parses; defaults fill speed, detour and handling', () => {
  const f = parseFleet(JSON.stringify(ok), 'fleet.json', SEOUL);
  assert.deepEqual(f.trucks[0], { id: 't1', capacity: 20, shiftMinutes: 180, startLoad: 0, start: ok.depot, ownStart: false });
  const g = parseFleet(JSON.stringify({ depot: ok.depot, trucks: [{ id: 'a', capacity: 5, shift_minutes: 60, start: { lat: 37.5, lon: 127 } }] }), 'f', SEOUL);
  assert.deepEqual([g.speedKmh, g.detour, g.handlingSPerBike, g.stopMinutes, g.minMove, g.trucks[0]!.startLoad, g.trucks[0]!.ownStart], [20, 1.3, 30, 3, 3, 0, true]);
});

test('fleet: stop_minutes, min_move and a truck heading to a stop', () => {
  const f = parseFleet(JSON.stringify({ ...ok, stop_minutes: 0, min_move: 1, trucks: [{ ...ok.trucks[0], heading_to: { station_id: 'S1', minutes: 4 } }] }), 'f', SEOUL);
  assert.deepEqual([f.stopMinutes, f.minMove, f.trucks[0]!.headingTo], [0, 1, { stationId: 'S1', minutes: 4 }]);
  const bad = (o: object, re: RegExp) => assert.throws(() => parseFleet(JSON.stringify({ ...ok, ...o }), 'fl.json', SEOUL), (e: Error) => e.message.startsWith('fl.json: ') && re.test(e.message), String(re));
  bad({ stop_minutes: -1 }, /stop_minutes: expected a number of minutes >= 0/);
  bad({ min_move: 0 }, /min_move: expected an integer number of bikes >= 1/);
  bad({ min_move: 2.5 }, /min_move/);
  bad({ trucks: [{ ...ok.trucks[0], heading_to: 'S1' }] }, /trucks\[0\]\.heading_to \(truck 't1'\): expected \{"station_id"/);
  bad({ trucks: [{ ...ok.trucks[0], heading_to: { station_id: 'S1', minutes: 200 } }] }, /not within its 180-minute shift/);
});

test('fleet: the bundled example is valid (30 trucks of 20 bikes, 180-minute shifts)', () => {
  const f = parseFleet(readFileSync(join(repoRoot(), 'examples', 'fleet-seoul-30.json'), 'utf8'), 'examples/fleet-seoul-30.json', SEOUL);
  assert.equal(f.trucks.length, 30);
  assert.ok(f.trucks.every((t) => t.capacity === 20 && t.shiftMinutes === 180));
});

test('fleet: bad files are named by file and field', () => {
  const bad = (edit: (o: any) => void, re: RegExp) => {
    const o = structuredClone(ok) as any;
    edit(o);
    assert.throws(() => parseFleet(JSON.stringify(o), 'my-fleet.json', SEOUL), (e: Error) => e.message.startsWith('my-fleet.json: ') && re.test(e.message), String(re));
  };
  bad((o) => (o.trucks[0].capacity = -2), /trucks\[0\]\.capacity \(truck 't1'\): expected a positive integer, got -2/);
  bad((o) => (o.trucks = []), /no truck/);
  bad((o) => delete o.depot, /depot: missing.*unknown depot/);
  bad((o) => (o.depot = { lat: 126.97, lon: 37.56 }), /not a place on Earth/);
  bad((o) => (o.depot = { lat: 35.1, lon: 129.0 }), /unknown depot.*outside the system's stations/);
  bad((o) => o.trucks.push({ ...o.trucks[0] }), /trucks\[1\]\.id: 't1' is used twice/);
  bad((o) => (o.trucks[0].start_load = 25), /start_load \(truck 't1'\): 25 bikes do not fit a truck of capacity 20/);
  bad((o) => (o.trucks[0].shift_minutes = 0), /shift_minutes/);
  bad((o) => (o.detour = 0.8), /detour/);
  bad((o) => (o.handling_s_per_bike = -1), /handling_s_per_bike/);
  bad((o) => (o.trucks[0].start = { lat: 0, lon: 0 }), /trucks\[0\]\.start \(truck 't1'\).*unknown depot or start/);
  assert.throws(() => parseFleet('{"depot": ', 'x.json'), /x\.json: not valid JSON/);
});

test('travel: haversine x detour at a speed; a matrix file in OSRM table form with ids', () => {
  // One degree of latitude is 111.2 km.
  assert.ok(Math.abs(haversineKm({ lat: 37, lon: 127 }, { lat: 38, lon: 127 }) - 111.19) < 0.05);
  const t = haversineTravel([{ lat: 37.5, lon: 127 }, { lat: 37.51, lon: 127 }], 20, 1.3);
  assert.ok(Math.abs(t.seconds(0, 1) - haversineKm({ lat: 37.5, lon: 127 }, { lat: 37.51, lon: 127 }) * 1.3 / 20 * 3600) < 1e-9);
  assert.equal(t.seconds(1, 1), 0);
  const m = parseMatrix(JSON.stringify({ code: 'Ok', ids: ['depot', 'A', 'B'], durations: [[0, 60, 120], [70, 0, null], [110, 40, 0]] }), 'm.json');
  const mt = matrixTravel(m, ['B', 'A', 'depot']);
  assert.deepEqual([mt.seconds(2, 1), mt.seconds(1, 0), mt.seconds(0, 1), mt.seconds(0, 2)], [60, Infinity, 40, 110]);
  assert.throws(() => matrixTravel(m, ['A', 'C']), /m\.json: "ids" has no 'C'/);
  assert.throws(() => matrixTravel(m, ['A', 'start:t9']), /no 'start:t9' \(a truck with its own start\)/);
  assert.throws(() => parseMatrix('{"ids": ["depot", "A"], "durations": [[0, 1]]}', 'm.json'), /expected 2 rows/);
  assert.throws(() => parseMatrix('{"ids": ["depot", "A"], "durations": [[0, 1], [1, -5]]}', 'm.json'), /\[1\]\[0\]|\[1\]\[1\]/);
  assert.throws(() => parseMatrix('{"code": "NoTable", "ids": ["a"], "durations": [[0]]}', 'm.json'), /code 'NoTable'/);
  assert.throws(() => parseMatrix('{"durations": [[0]]}', 'm.json'), /"ids"/);
});
