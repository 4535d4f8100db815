// The replay judgement (`urbanlab targets replay`): for back-to-back horizons over a period, each
// station's interval is computed from data BEFORE the horizon only (historical-average rates, see
// historical-rates.ts), the station is started at the middle of its interval, and the real observed
// demand of the horizon is replayed; the same replay started half full is the baseline.
import { Workspace } from './birth-death.ts';
import { historicalRates, type HistoricalOptions, type HourlyGrid } from './historical-rates.ts';
import { midpoint, targetInterval } from './interval.ts';
import { mixedCurves } from './overdispersion.ts';
import { replayEvents } from './replay.ts';
import { hourlyToSteps } from './steps.ts';

export interface ReplayStation {
  stationId: string;
  /** The model's capacity (capacity.ts). */
  capacity: number;
  /** Hourly flows on the common grid. */
  grid: HourlyGrid;
  /** Observed changes of the station's bikes: epoch seconds (ascending) and the change. */
  eventTimes: Float64Array;
  eventDeltas: Int32Array;
}

export interface ReplayOptions {
  service: number;
  horizonHours: number;
  stepMinutes: number;
  points: number;
  fullBinds: boolean;
  truckThreshold: number;
  history: HistoricalOptions;
  /** Minutes each hour of a horizon must be observed for the station-horizon to count. */
  minObservedMinutes: number;
}

export interface ReplaySummary {
  nominal: number;
  /** Share of station-horizons started mid-interval that never ran empty (nor full where it binds). */
  realised: number;
  /** Failed rentals + returns replayed from mid-interval starts. */
  failures: number;
  /** The same from half-full starts. */
  failures_half_full: number;
  station_horizons: number;
  realised_half_full: number;
  /** 1 - failures / failures_half_full. */
  failure_reduction: number;
  /** The model's own expected service at the mid starts (1 - mean of P(empty) + P(full)). */
  predicted: number;
  /** Which rates forecast each horizon. */
  rates: 'historical-average';
  horizons: number;
  skipped_no_history: number;
  skipped_no_data: number;
  failed_rentals: number;
  failed_returns: number;
  failed_rentals_half_full: number;
  failed_returns_half_full: number;
}

/**
 * `gridStart`: epoch seconds of grid index 0 (on the hour); `origins`: epoch seconds of each
 * horizon's start, on the hour, ascending.
 */
export function runReplay(stations: readonly ReplayStation[], gridStart: number, origins: readonly number[], opt: ReplayOptions): ReplaySummary {
  const ws = new Workspace();
  const H = opt.horizonHours;
  let n = 0, ok = 0, okHalf = 0, noHistory = 0, noData = 0;
  let fr = 0, ft = 0, frHalf = 0, ftHalf = 0, predictedRisk = 0;
  for (const st of stations) {
    let ptr = 0;
    for (const origin of origins) {
      const o = Math.round((origin - gridStart) / 3600);
      // The station must have been watched through the whole horizon.
      let watched = o + H <= st.grid.observed.length && o >= 0;
      for (let h = 0; watched && h < H; h++) if (st.grid.observed[o + h]! < opt.minObservedMinutes) watched = false;
      // Advance to the events of this horizon: (origin, origin + H h].
      while (ptr < st.eventTimes.length && st.eventTimes[ptr]! <= origin) ptr++;
      let end = ptr;
      while (end < st.eventTimes.length && st.eventTimes[end]! <= origin + H * 3600) end++;
      if (!watched) { noData++; ptr = end; continue; }
      const rates = historicalRates(st.grid, o, H, opt.history);
      if (!rates) { noHistory++; ptr = end; continue; }
      const steps = hourlyToSteps(rates.pickups, rates.returns, 0, H * 60, opt.stepMinutes);
      const curves = mixedCurves(st.capacity, steps, { pickupShape: rates.pickupShape, returnShape: rates.returnShape, points: opt.points }, ws);
      const interval = targetInterval(curves, opt.service, opt.fullBinds);
      const mid = midpoint(interval);
      const half = Math.round(st.capacity / 2);
      const deltas = st.eventDeltas.subarray(ptr, end);
      const a = replayEvents(deltas, mid, st.capacity, opt.truckThreshold);
      const b = replayEvents(deltas, half, st.capacity, opt.truckThreshold);
      n++;
      if (!(a.hitEmpty || (opt.fullBinds && a.hitFull))) ok++;
      if (!(b.hitEmpty || (opt.fullBinds && b.hitFull))) okHalf++;
      fr += a.failedRentals; ft += a.failedReturns;
      frHalf += b.failedRentals; ftHalf += b.failedReturns;
      predictedRisk += Math.min(1, curves.pEmpty[mid]! + (opt.fullBinds ? curves.pFull[mid]! : 0));
      ptr = end;
    }
  }
  const failures = fr + (opt.fullBinds ? ft : 0);
  const failuresHalf = frHalf + (opt.fullBinds ? ftHalf : 0);
  return {
    nominal: opt.service,
    realised: n ? ok / n : NaN,
    failures,
    failures_half_full: failuresHalf,
    station_horizons: n,
    realised_half_full: n ? okHalf / n : NaN,
    failure_reduction: failuresHalf > 0 ? 1 - failures / failuresHalf : NaN,
    predicted: n ? 1 - predictedRisk / n : NaN,
    rates: 'historical-average',
    horizons: origins.length,
    skipped_no_history: noHistory,
    skipped_no_data: noData,
    failed_rentals: fr,
    failed_returns: ft,
    failed_rentals_half_full: frHalf,
    failed_returns_half_full: ftHalf,
  };
}
