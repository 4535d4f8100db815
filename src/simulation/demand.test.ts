// Trip demand (a full station and a rider's detour, a failed rental that returns no bike), gap
// spreading by the hourly shape, the censoring estimate, the event log adding up to the totals
// with detours, and a property test: whatever a policy asks and whatever the demand, a truck never
// carries more than its capacity nor drops bikes it lacks, and every station stays in [0, capacity].
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Fleet } from '../rebalancing/planning/fleet.ts';
import { haversineKm } from '../rebalancing/planning/travel.ts';
import { eventsFromChanges, type DemandChange } from './demand.ts';
import { censoredEstimate, placeInGap, type DemandShape } from './demand-shape.ts';
import { dayWindows } from './day-window.ts';
import { MemoryLog, totalsFromLog } from './event-log.ts';
import { intersect, subtract } from './metrics.ts';
import { nonePolicy } from './policies/none.ts';
import type { Policy } from './policies/policy.ts';
import { reactivePolicy } from './policies/reactive.ts';
import { replay, RIDER_RULES, type ReplayInput } from './replay.ts';
import { mergeSpans } from './status-demand.ts';
import { eventsFromTrips, type TripRecord } from './trip-demand.ts';
import { stationsOf, type Stations } from './world.ts';

const T0 = Date.parse('2023-04-03T15:00:00Z') / 1000; // 08:00 in San Francisco
const depot = { lat: 37.77, lon: -122.41 };
const fleet = (load: number, capacity = 20): Fleet => ({
  depot, speedKmh: 20, detour: 1.3, handlingSPerBike: 30, stopMinutes: 3, minMove: 3,
  trucks: [{ id: 't1', capacity, shiftMinutes: 240, startLoad: load, start: depot, ownStart: false }],
});

function tripInput(stations: Stations, trips: TripRecord[], policy: Policy, f = fleet(0)): ReplayInput {
  const to = T0 + 4 * 3600;
  const index = new Map(stations.ids.map((id, i) => [id, i]));
  return {
    stations, events: eventsFromTrips(trips, index, T0).events, from: T0, to,
    dayWindows: dayWindows(T0, to, 'America/Los_Angeles'), gaps: [], fleet: f, shiftStarts: [T0], policy, riders: RIDER_RULES,
  };
}

// A is full; B (about 1 km away) and C (about 3 km) have free docks; D has bikes; E is empty.
const world = stationsOf([
  { id: 'A', lat: 37.77, lon: -122.41, capacity: 2, bikes: 2 },
  { id: 'B', lat: 37.779, lon: -122.41, capacity: 5, bikes: 0 },
  { id: 'C', lat: 37.797, lon: -122.41, capacity: 5, bikes: 0 },
  { id: 'D', lat: 37.75, lon: -122.42, capacity: 5, bikes: 3 },
  { id: 'E', lat: 37.74, lon: -122.43, capacity: 5, bikes: 0 },
]);
const kmAB = haversineKm({ lat: 37.77, lon: -122.41 }, { lat: 37.779, lon: -122.41 }) * RIDER_RULES.detour;

test('a rider who finds the station full rides on to the nearest free dock: a failed return, one detour, its km', () => {
  const log = new MemoryLog();
  const r = replay({ ...tripInput(world, [{ start: 'D', end: 'A', startedAt: T0 + 60, endedAt: T0 + 900 }], nonePolicy()), log });
  assert.equal(r.failedRentals, 0);
  assert.equal(r.failedReturns, 1);
  assert.equal(r.detours, 1);
  assert.ok(Math.abs(r.detourKm - kmAB) < 1e-9, `${r.detourKm} vs ${kmAB}`);
  const d = log.events.find((e) => e.type === 'detour');
  assert.ok(d && d.type === 'detour');
  assert.equal(d.to, 'B');
  // The ride on takes km / 12 km/h: B holds the bike from then, not before.
  assert.ok(Math.abs(d.arrive - (T0 + 900 + (kmAB / RIDER_RULES.speedKmh) * 3600)) < 1e-6);
  // A is full the whole run (the rider never docked there).
  assert.equal(r.fullS, 4 * 3600);
});

test('a rider finding the next station full by arrival rides on again (leg 2), counted as one detour', () => {
  // B has one dock, which a second rider takes while the first is riding there from full A.
  const w = stationsOf([
    { id: 'A', lat: 37.77, lon: -122.41, capacity: 2, bikes: 2 },
    { id: 'B', lat: 37.779, lon: -122.41, capacity: 1, bikes: 0 },
    { id: 'C', lat: 37.797, lon: -122.41, capacity: 5, bikes: 0 },
    { id: 'D', lat: 37.75, lon: -122.42, capacity: 5, bikes: 3 },
  ]);
  const log = new MemoryLog();
  const r = replay({ ...tripInput(w, [
    { start: 'D', end: 'A', startedAt: T0 + 60, endedAt: T0 + 900 },
    // This one docks at B while the first rider is on the way there.
    { start: 'D', end: 'B', startedAt: T0 + 120, endedAt: T0 + 901 },
  ], nonePolicy()), log });
  assert.equal(r.failedReturns, 1);
  assert.equal(r.detours, 1);
  const legs = log.events.filter((e) => e.type === 'detour').map((e) => (e.type === 'detour' ? `${e.leg}:${e.station}->${e.to}` : ''));
  assert.deepEqual(legs, ['1:A->B', '2:B->C']);
  const t = totalsFromLog(log.jsonl());
  assert.equal(t.detours, 1);
  assert.ok(Math.abs(t.detour_km - r.detourKm) < 0.01);
});

test('a rider who finds the start empty fails to rent and returns no bike at the end', () => {
  const r = replay(tripInput(world, [{ start: 'E', end: 'B', startedAt: T0 + 60, endedAt: T0 + 600 }], nonePolicy()));
  assert.equal(r.failedRentals, 1);
  assert.equal(r.returnsCancelled, 1);
  assert.equal(r.events, 1);
  // B stays empty the whole run (the cancelled return never docked), as do C and E.
  assert.equal(r.emptyS, 3 * 4 * 3600);
});

test('trips: one started before --from gives only its return; one naming an unknown station is left out', () => {
  const index = new Map([['A', 0], ['B', 1]]);
  const b = eventsFromTrips([
    { start: 'A', end: 'B', startedAt: T0 - 300, endedAt: T0 + 300 },
    { start: 'A', end: 'B', startedAt: T0 + 10, endedAt: T0 + 20 },
    { start: 'A', end: 'Z', startedAt: T0 + 10, endedAt: T0 + 20 },
  ], index, T0);
  assert.equal(b.trips, 1);
  assert.equal(b.openAtStart, 1);
  assert.equal(b.unplaced, 1);
  assert.deepEqual(Array.from(b.events.t), [T0 + 10, T0 + 20, T0 + 300]);
  assert.deepEqual(Array.from(b.events.pair!), [1, -1, -1]);
});

function shapeOf(perHour: number[][], start = T0): DemandShape {
  const hours = perHour[0]!.length;
  const flat = Float64Array.from(perHour.flat());
  return { start, hours, pickups: flat, returns: flat, pickupsIgnore: flat.map((x) => x / 2), returnsIgnore: flat, stationsWithProfile: perHour.length, fittedFrom: 0, fittedTo: start };
}

test('a gap change is spread by the hourly shape: none where the rate is 0, uniform where it is flat or unknown', () => {
  // A gap from 08:30 to 10:00 at a station whose rate is 0 from 08:00, 3/h from 09:00.
  const shape = shapeOf([[0, 3, 3, 0]]);
  const c: DemandChange = { station: 0, t: T0 + 7200, n: -40, gapStart: T0 + 1800 };
  const ev = eventsFromChanges([c], (() => { let k = 0; return () => (k++ % 100) / 100; })(), (x, u) => placeInGap(shape, x, u));
  assert.equal(ev.t.length, 40);
  for (const t of ev.t) assert.ok(t >= T0 + 3600 && t < T0 + 7200, `at ${t - T0}`);
  // Rates 1 then 3 over two half-hours: a quarter of the draws land in the first.
  const s2 = shapeOf([[1, 3]]);
  const c2: DemandChange = { station: 0, t: T0 + 5400, n: 4, gapStart: T0 + 1800 };
  assert.equal(placeInGap(s2, c2, 0.24) < T0 + 3600, true);
  assert.equal(placeInGap(s2, c2, 0.26) >= T0 + 3600, true);
  // No rate anywhere: uniform.
  assert.equal(placeInGap(shapeOf([[0, 0]]), c2, 0.5), T0 + 1800 + 0.5 * 3600);
});

test('censoring estimate: the corrected rate times the share of the hour the real station was empty (full)', () => {
  const shape = shapeOf([[6, 12], [2, 2]]);
  const e = censoredEstimate(shape, [
    { station: 0, t: T0, minutesEmpty: 30, minutesFull: 0 },
    { station: 0, t: T0 + 3600, minutesEmpty: 10, minutesFull: 0 },
    { station: 1, t: T0 + 3600, minutesEmpty: 0, minutesFull: 60 },
  ]);
  assert.equal(e.pickups, 3 + 2);
  assert.equal(e.returns, 2);
  assert.equal(e.emptyMinutes, 40);
  assert.equal(e.fullMinutes, 60);
  // pickupsIgnore is half the corrected rate in shapeOf: the lift is the other half, (6+12+2+2)/2.
  assert.equal(e.profileLiftPickups, 11);
});

test('spans: gaps merged where they touch; the parts of the gaps inside the day windows', () => {
  assert.deepEqual(mergeSpans([[5, 8], [0, 2], [2, 3], [7, 9]]), [[0, 3], [5, 9]]);
  assert.deepEqual(intersect([[0, 10], [20, 30]], [[5, 25], [28, 40]]), [[5, 10], [20, 25], [28, 30]]);
  assert.deepEqual(subtract([[0, 10], [20, 30]], [[5, 10], [20, 25], [28, 30]]), [[0, 5], [25, 28]]);
  assert.deepEqual(subtract([[0, 10]], []), [[0, 10]]);
});

test('trip demand with a truck: the event log replays to the same totals, detours and their km included', () => {
  const trips: TripRecord[] = [];
  const ids = ['A', 'B', 'C', 'D', 'E'];
  let k = 0;
  for (let m = 1; m < 200; m++) {
    const a = ids[(m * 7) % 5]!;
    const b = ids[(m * 3 + 1) % 5]!;
    trips.push({ start: a, end: b, startedAt: T0 + 60 * m, endedAt: T0 + 60 * m + 300 + (k++ % 7) * 60 });
  }
  const log = new MemoryLog();
  const r = replay({ ...tripInput(world, trips, reactivePolicy(), fleet(6)), log });
  const t = totalsFromLog(log.jsonl());
  assert.ok(r.detours > 0 && r.failedRentals > 0, `detours ${r.detours}, failed rentals ${r.failedRentals}`);
  assert.equal(t.failed_rentals, r.failedRentals);
  assert.equal(t.failed_returns, r.failedReturns);
  assert.equal(t.detours, r.detours);
  assert.ok(Math.abs(t.detour_km - r.detourKm) < 0.01, `${t.detour_km} vs ${r.detourKm}`);
  assert.equal(t.bikes_moved, r.bikesMoved);
  assert.ok(Math.abs(t.truck_km - r.truckKm) < 0.01);
  // Sorted by time.
  const ts = log.sorted().map((e) => e.t);
  assert.deepEqual(ts, [...ts].sort((a, b) => a - b));
});

test('property: trucks stay within [0, capacity] and drop no bike they lack; stations stay within [0, capacity]', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ capacity: fc.integer({ min: 1, max: 12 }), fill: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 2, maxLength: 5 }),
      fc.array(fc.record({ station: fc.nat(), minute: fc.integer({ min: 0, max: 239 }), n: fc.integer({ min: -4, max: 4 }) }), { maxLength: 60 }),
      fc.array(fc.record({ station: fc.nat(), bikes: fc.integer({ min: -30, max: 30 }) }), { minLength: 1, maxLength: 20 }),
      fc.integer({ min: 1, max: 15 }),
      fc.integer({ min: 0, max: 15 }),
      fc.boolean(),
      (sts, changes, asks, truckCap, load0, trips) => {
        const stations = stationsOf(sts.map((s, i) => ({ id: `s${i}`, lat: 37.77 + i * 0.003, lon: -122.41, capacity: s.capacity, bikes: Math.round(s.fill * s.capacity) })));
        const S = sts.length;
        let q = 0;
        let viewsOk = true;
        const asker: Policy = {
          name: 'asker', usesTrucks: true, replans: 0,
          dispatch(_ti, v) {
            for (let s = 0; s < S; s++) if (v.bikes[s]! < 0 || v.bikes[s]! > v.stations.capacity[s]!) viewsOk = false;
            const a = asks[q++ % asks.length]!;
            return { station: a.station % S, bikes: a.bikes };
          },
        };
        const f = fleet(Math.min(load0, truckCap), truckCap);
        const log = new MemoryLog();
        const base: ReplayInput = trips
          ? tripInput(stations, changes.map((c) => ({ start: `s${c.station % S}`, end: `s${(c.station + c.n + 8) % S}`, startedAt: T0 + c.minute * 60, endedAt: T0 + c.minute * 60 + 600 })), asker, f)
          : {
            stations, events: eventsFromChanges(changes.filter((c) => c.n !== 0).map((c) => ({ station: c.station % S, t: T0 + c.minute * 60, n: c.n })), () => 0.5),
            from: T0, to: T0 + 4 * 3600, dayWindows: dayWindows(T0, T0 + 4 * 3600, 'America/Los_Angeles'), gaps: [], fleet: f, shiftStarts: [T0], policy: asker,
          };
        const r = replay({ ...base, log });
        let truck = f.trucks[0]!.startLoad;
        for (const e of log.events) {
          if (e.type !== 'load' && e.type !== 'drop') continue;
          if (e.type === 'drop' && e.bikes > truck) return false;
          truck += e.type === 'load' ? e.bikes : -e.bikes;
          const cap = stations.capacity[stations.ids.indexOf(e.station)]!;
          if (e.truck_load !== truck || truck < 0 || truck > truckCap || e.station_bikes < 0 || e.station_bikes > cap) return false;
        }
        return viewsOk && r.bikesMoved === totalsFromLog(log.jsonl()).bikes_moved;
      },
    ),
    { numRuns: 100, seed: 21 },
  );
});

test('covered time: an outage split by a feed gap into pieces under 10 minutes is not an outage over covered minutes', () => {
  // One station, 1 bike; taken at +10 min, returned at +40 min: empty 30 minutes, a gap +12..+38.
  const one = stationsOf([{ id: 'a', lat: 37.77, lon: -122.41, capacity: 5, bikes: 1 }]);
  const to = T0 + 3600;
  const r = replay({
    stations: one, events: eventsFromChanges([{ station: 0, t: T0 + 600, n: -1 }, { station: 0, t: T0 + 2400, n: 1 }], () => 0.5), from: T0, to,
    dayWindows: dayWindows(T0, to, 'America/Los_Angeles'), gaps: [[T0 + 720, T0 + 2280]], fleet: fleet(0), shiftStarts: [], policy: nonePolicy(),
  });
  assert.equal(r.emptyS, 1800);
  assert.equal(r.emptyDayCoveredS, 1800 - 1560);
  assert.equal(r.outagesOver10, 1);
  assert.equal(r.outagesOver10Covered, 0);
});

test('reproducible: the same seed places a gap\'s riders at the same instants; another seed elsewhere', async () => {
  const { mulberry32 } = await import('../platform/util/random.ts');
  const shape = shapeOf([[1, 3, 2]]);
  const changes: DemandChange[] = [{ station: 0, t: T0 + 9000, n: -6, gapStart: T0 + 1200 }, { station: 0, t: T0 + 9600, n: 1 }];
  const place = (c: DemandChange, u: number) => placeInGap(shape, c, u);
  const a = eventsFromChanges(changes, mulberry32(7), place);
  const b = eventsFromChanges(changes, mulberry32(7), place);
  const c = eventsFromChanges(changes, mulberry32(8), place);
  assert.deepEqual(Array.from(a.t), Array.from(b.t));
  assert.notDeepEqual(Array.from(a.t), Array.from(c.t));
  assert.deepEqual(Array.from(a.fromGap), [1, 1, 1, 1, 1, 1, 0]);
});
