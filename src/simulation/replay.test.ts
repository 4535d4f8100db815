// Hand cases whose outcome is known, the event log adding up to the totals, trucks that never carry
// more than they hold, and a policy that never sees demand after the simulated instant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Fleet } from '../rebalancing/planning/fleet.ts';
import { eventsBefore, eventsFromChanges, type DemandChange } from './demand.ts';
import { dayWindows } from './day-window.ts';
import { MemoryLog, totalsFromLog } from './event-log.ts';
import { nonePolicy } from './policies/none.ts';
import type { Policy } from './policies/policy.ts';
import { reactivePolicy } from './policies/reactive.ts';
import { replay, type ReplayInput } from './replay.ts';
import { stationsOf } from './world.ts';

const T0 = Date.parse('2023-04-03T15:00:00Z') / 1000; // 08:00 in San Francisco
const depot = { lat: 37.77, lon: -122.41 };
const fleet = (load: number, capacity = 20): Fleet => ({
  depot, speedKmh: 20, detour: 1.3, handlingSPerBike: 30, stopMinutes: 3, minMove: 3,
  trucks: [{ id: 't1', capacity, shiftMinutes: 240, startLoad: load, start: depot, ownStart: false }],
});
const noRand = () => 0.5;

function input(stations: ReturnType<typeof stationsOf>, changes: DemandChange[], policy: Policy, f = fleet(0), shift = true): ReplayInput {
  const to = T0 + 4 * 3600;
  return {
    stations, events: eventsFromChanges(changes, noRand), from: T0, to,
    dayWindows: dayWindows(T0, to, 'America/Los_Angeles'), gaps: [], fleet: f,
    shiftStarts: shift ? [T0] : [], policy,
  };
}

// Station 0 near the depot with 2 bikes of 10; a rider takes one every 10 minutes for 2 hours.
const draining = stationsOf([
  { id: 'a', lat: 37.771, lon: -122.411, capacity: 10, bikes: 2 },
  { id: 'b', lat: 37.78, lon: -122.42, capacity: 10, bikes: 5 },
]);
const takes = Array.from({ length: 12 }, (_, k): DemandChange => ({ station: 0, t: T0 + 600 * (k + 1), n: -1 }));

test('one station draining with no truck: every rider after the second fails, and it is empty from then on', () => {
  const r = replay(input(draining, takes, nonePolicy()));
  assert.equal(r.failedRentals, 10);
  assert.equal(r.failedReturns, 0);
  assert.equal(r.bikesMoved, 0);
  // Empty from the second take (T0 + 1200) to the end (T0 + 4 h), all inside 06:00-22:00.
  assert.equal(r.emptyS, 4 * 3600 - 1200);
  assert.equal(r.emptyDayS, r.emptyS);
  assert.equal(r.outagesOver10, 1);
});

test('a truck carrying bikes refills the draining station in time: no rider fails', () => {
  // Six riders in the first hour: the 3 bikes the truck drops (up to half full) before the third
  // arrives are enough; without it four fail.
  const six = takes.slice(0, 6);
  assert.equal(replay(input(draining, six, nonePolicy())).failedRentals, 4);
  const r = replay(input(draining, six, reactivePolicy(), fleet(10)));
  assert.equal(r.failedRentals, 0);
  assert.ok(r.bikesMoved >= 3, `moved ${r.bikesMoved}`);
  assert.ok(r.truckKm > 0);
});

test('a full station refuses returns; a truck that is out of shift does nothing', () => {
  const full = stationsOf([{ id: 'f', lat: 37.771, lon: -122.411, capacity: 4, bikes: 3 }]);
  const back = [1, 2, 3].map((k): DemandChange => ({ station: 0, t: T0 + 60 * k, n: 1 }));
  const r = replay(input(full, back, reactivePolicy(), fleet(0), false));
  assert.equal(r.failedReturns, 2);
  assert.equal(r.fullS, 4 * 3600 - 60);
});

test('the event log adds up to the run totals', () => {
  const log = new MemoryLog();
  const r = replay({ ...input(draining, [...takes, { station: 1, t: T0 + 100, n: 5 }, { station: 1, t: T0 + 200, n: 3 }], reactivePolicy(), fleet(4)), log });
  const t = totalsFromLog(log.jsonl());
  assert.equal(t.failed_rentals, r.failedRentals);
  assert.equal(t.failed_returns, r.failedReturns);
  assert.equal(t.bikes_moved, r.bikesMoved);
  assert.ok(Math.abs(t.truck_km - r.truckKm) < 0.01, `${t.truck_km} vs ${r.truckKm}`);
});

test('a truck never carries more than its capacity nor drops bikes it lacks, whatever the policy asks', () => {
  let k = 0;
  const greedy: Policy = { name: 'greedy-asker', usesTrucks: true, replans: 0, dispatch: () => ({ station: k % 2, bikes: k++ % 2 ? -50 : 100 }) };
  const big = stationsOf([
    { id: 'x', lat: 37.771, lon: -122.411, capacity: 40, bikes: 35 },
    { id: 'y', lat: 37.772, lon: -122.412, capacity: 40, bikes: 38 },
  ]);
  const log = new MemoryLog();
  const r = replay({ ...input(big, [], greedy, fleet(0, 12)), log });
  assert.ok(r.shortStops > 0);
  let load = 0;
  for (const e of log.events) {
    if (e.type === 'load') load += e.bikes;
    if (e.type === 'drop') load -= e.bikes;
    if (e.type === 'load' || e.type === 'drop') {
      assert.equal(e.truck_load, load);
      assert.ok(load >= 0 && load <= 12, `load ${load}`);
      assert.ok(e.station_bikes >= 0 && e.station_bikes <= 40);
    }
  }
});

test('a policy sees the stations as they are at its instant, never the demand to come', () => {
  const changes: DemandChange[] = [];
  for (let k = 1; k < 200; k++) changes.push({ station: k % 2, t: T0 + 67 * k, n: k % 3 === 0 ? 1 : -1 });
  const events = eventsFromChanges(changes, noRand);
  let checked = 0;
  const spy: Policy = {
    name: 'spy', usesTrucks: true, replans: 0,
    dispatch(_ti, v) {
      // The state replayed from the past alone (events before v.t, capacity and emptiness applied).
      const past = eventsBefore(events, v.t);
      const bikes = Int32Array.from(draining.bikes);
      for (let i = 0; i < past.t.length; i++) {
        const s = past.station[i]!;
        if (past.delta[i]! < 0 ? bikes[s]! > 0 : bikes[s]! < draining.capacity[s]!) bikes[s]! += past.delta[i]!;
      }
      assert.deepEqual(Array.from(v.bikes), Array.from(bikes), `at ${v.t - T0} s the policy saw a state the past does not give`);
      checked++;
      return null;
    },
  };
  replay({ ...input(draining, [], spy), events });
  assert.ok(checked > 10);
});
