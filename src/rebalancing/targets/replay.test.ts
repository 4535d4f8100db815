import { asStationId } from '../../platform/ids.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exponential, rng } from '../../../test/helpers/random.ts';
import { historicalRates, momentShape, type HourlyGrid } from './historical-rates.ts';
import { replayEvents } from './replay.ts';
import { runReplay, type ReplayStation } from './replay-run.ts';
import { hourlyToSteps, hoursSpanned } from './steps.ts';

describe('replay of observed changes', () => {
  it('counts failed rentals at empty and failed returns at full, and skips truck-sized changes', () => {
    const r = replayEvents([-2, -3, +1, +6, -12, +2], 3, 5, 10);
    // 3 -> 1 -> 0 (2 failed) -> 1 -> 5 (2 failed) -> (truck, skipped) -> 5 (2 failed)
    assert.deepEqual(r, { hitEmpty: true, hitFull: true, failedRentals: 2, failedReturns: 4, end: 5 });
    assert.deepEqual(replayEvents([], 0, 5), { hitEmpty: true, hitFull: false, failedRentals: 0, failedReturns: 0, end: 0 });
  });
});

describe('steps', () => {
  it('maps 15-minute steps to the hour they start in, from an offset', () => {
    const s = hourlyToSteps([1, 2, 3, 4], [5, 6, 7, 8], 30, 180);
    assert.equal(s.pickups.length, 12);
    assert.deepEqual(Array.from(s.pickups), [1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4]);
    assert.equal(hoursSpanned(30, 180), 4);
    assert.equal(hoursSpanned(0, 180), 3);
  });
  it('scales a short last step', () => {
    const s = hourlyToSteps([4], [8], 0, 20);
    assert.deepEqual(Array.from(s.pickups), [4, 4 / 3]);
  });
});

function grid(hours: number): HourlyGrid {
  return { pickups: new Float64Array(hours), returns: new Float64Array(hours), observed: new Float64Array(hours).fill(60), empty: new Float64Array(hours), full: new Float64Array(hours) };
}

describe('historical average rates', () => {
  it('averages the same hours of past weeks, corrected for time spent empty', () => {
    const g = grid(168 * 3 + 10);
    const origin = 168 * 3;
    // Hour-of-week 0 and 1: 4 and 8 pickups in the last two weeks, but empty half of hour 1 in week 1.
    for (const w of [1, 2]) {
      g.pickups[origin - 168 * w] = 4;
      g.pickups[origin - 168 * w + 1] = 8;
      g.returns[origin - 168 * w] = 2;
    }
    g.empty[origin - 168 + 1] = 30;
    const r = historicalRates(g, origin, 2, { weeks: 8, minObservedMinutes: 30 })!;
    assert.ok(r);
    const prior = (4 + 8 + 4 + 8) / (168 * 3 - 0.5); // all-hours pickups per non-empty hour
    // Three past weeks are observed (the third, with no pickups, counts too).
    assert.ok(Math.abs(r.pickups[0]! - (8 + prior) / (3 + 1)) < 1e-12, `hour 0: ${r.pickups[0]}`);
    assert.ok(Math.abs(r.pickups[1]! - (16 + prior) / (2.5 + 1)) < 1e-12, `hour 1: ${r.pickups[1]}`);
    assert.equal(r.weeksUsed, 3);
    // Only data before the origin is used: changing the future changes nothing.
    g.pickups[origin] = 1000;
    assert.deepEqual(historicalRates(g, origin, 2)!.pickups, r.pickups);
  });
  it('needs two weeks of history', () => {
    assert.equal(historicalRates(grid(200), 168, 3), null);
  });
  it('method-of-moments shape', () => {
    assert.equal(momentShape([5, 5, 5, 5]), Infinity);
    const s = momentShape([2, 10, 4, 12]); // m = 7, v = 68/3
    assert.ok(Math.abs(s - 49 / (68 / 3 - 7)) < 1e-12);
  });
});

describe('replay run on a simulated station', () => {
  it('starting mid-interval meets the service level and fails less than half full', () => {
    // A station that fills in the morning and drains in the evening, simulated for 10 weeks as a
    // birth-death process with unlimited room (so the "observed" changes are the full demand).
    const u = rng(5);
    const weeks = 10, hours = 168 * weeks, cap = 20;
    const g = grid(hours);
    const times: number[] = [], deltas: number[] = [];
    const rate = (h: number) => {
      const hod = h % 24;
      return { p: hod >= 16 && hod < 20 ? 6 : 1, r: hod >= 7 && hod < 10 ? 6 : 1 };
    };
    for (let h = 0; h < hours; h++) {
      const { p, r } = rate(h);
      let t = exponential(u, p + r);
      while (t < 1) {
        const pick = u() * (p + r) < p;
        if (pick) g.pickups[h]!++; else g.returns[h]!++;
        times.push(h * 3600 + t * 3600);
        deltas.push(pick ? -1 : 1);
        t += exponential(u, p + r);
      }
    }
    const st: ReplayStation = { stationId: asStationId('A'), racks: cap, grid: g, eventTimes: Float64Array.from(times), eventDeltas: Int32Array.from(deltas) };
    const origins: number[] = [];
    for (let h = 168 * 4; h + 3 <= hours; h += 3) origins.push(h * 3600);
    const s = runReplay([st], 0, origins, {
      service: 0.9, horizonHours: 3, stepMinutes: 15, points: 3, fullBinds: true, truckThreshold: Infinity,
      history: { weeks: 4, minObservedMinutes: 30 }, minObservedMinutes: 30, capacity: { kind: 'hard' },
    });
    assert.equal(s.station_horizons, origins.length);
    assert.ok(s.realised >= 0.9, `realised ${s.realised}`);
    assert.ok(s.failures < 0.7 * s.failures_half_full, `failures ${s.failures} vs half full ${s.failures_half_full}`);
    assert.ok(Math.abs(s.predicted - s.realised) < 0.05, `predicted ${s.predicted} vs realised ${s.realised}`);
    // At the interval's edges, where the service level binds, the model's risk is what happens.
    for (const e of [s.edges.min, s.edges.max]) {
      assert.ok(e.realised >= 0.85 && Math.abs(e.realised - e.predicted) < 0.05, `edge realised ${e.realised}, predicted ${e.predicted}`);
      assert.ok(e.realised <= s.realised + 1e-12);
    }
    assert.equal(s.calibration.reduce((a, b) => a + b.station_horizons, 0), s.station_horizons);
    assert.equal(s.calibration_edges.reduce((a, b) => a + b.station_horizons, 0), 2 * s.station_horizons);
    // Edge starts have risks up to 1 - service (or above, where no start meets it).
    assert.ok(s.calibration_edges.some((b) => b.from >= 0.05));
  });

  it('takes the capacity of each horizon from the status (bikes + free docks), not the station list', () => {
    // The station list says 3 racks; the status says 19 (bikes + free docks). Five returns per horizon.
    const hours = 168 * 3 + 6;
    const g = grid(hours);
    for (let h = 0; h < hours; h++) { g.returns[h] = 2; g.pickups[h] = 2; }
    const origin = 168 * 3 * 3600;
    const times = Float64Array.from([origin - 600, origin + 600, origin + 1200, origin + 1800, origin + 2400, origin + 3000]);
    const deltas = Int32Array.from([0, 1, 1, 1, 1, 1]);
    const base = { stationId: asStationId('B'), racks: 3, grid: g, eventTimes: times, eventDeltas: deltas };
    const opt = {
      service: 0.9, horizonHours: 3, stepMinutes: 15, points: 1, fullBinds: true, truckThreshold: Infinity,
      history: { weeks: 3, minObservedMinutes: 30 }, minObservedMinutes: 30, capacity: { kind: 'hard' } as const,
    };
    const fromStatus = runReplay([{ ...base, eventUsable: Int32Array.from([19, 19, 19, 19, 19, 19]) }], 0, [origin], opt);
    assert.equal(fromStatus.capacity_from_status, 1);
    assert.equal(fromStatus.failures_half_full, 0); // 10 + 5 <= 19
    const fromList = runReplay([base], 0, [origin], opt);
    assert.equal(fromList.capacity_from_status, 0);
    assert.ok(fromList.failures_half_full >= 3, `half of 3 racks overflows: ${fromList.failures_half_full}`);
    // A station with no bike and no free dock is out of service: skipped, not counted as a failure.
    const off = runReplay([{ ...base, eventUsable: Int32Array.from([0, 0, 0, 0, 0, 0]) }], 0, [origin], opt);
    assert.equal(off.station_horizons, 0);
    assert.equal(off.skipped_out_of_service, 1);
  });
});
