// The replay judgement (`urbanlab targets replay`): for back-to-back horizons over a period, each
// station's interval is computed from data BEFORE the horizon only (historical-average rates, see
// historical-rates.ts, or any other source of rates given by the caller), the station is started at
// the middle of its interval, and the real observed demand of the horizon is replayed; the same
// replay started half full is the baseline.
//
// Besides the contract's figures it measures what tells the model apart from the start rule:
// - the same replay started at the interval's EDGES (min, then max): the service level is a promise
//   about every start inside the interval, and the edges are where it binds;
// - calibration: station-horizons binned by the model's risk at the start used (the mid starts, and
//   apart the edge starts), against the share that really ran empty or full.
import type { StationId } from '../../platform/ids.ts';
import { Workspace } from './birth-death.ts';
import { horizonCapacity, type CapacityPolicy } from './capacity.ts';
import { historicalRates, type HistoricalOptions, type HourlyGrid } from './historical-rates.ts';
import { midpoint, targetInterval } from './interval.ts';
import { mixedCurves } from './overdispersion.ts';
import { replayEvents } from './replay.ts';
import { hourlyToSteps } from './steps.ts';

export interface ReplayStation {
  stationId: StationId;
  /** Racks from the station list (null: unknown), used where the status gives no free docks. */
  racks: number | null;
  /** Hourly flows on the common grid. */
  grid: HourlyGrid;
  /** The station's status rows: epoch seconds (ascending) and the change of bikes (0: none). */
  eventTimes: Float64Array;
  eventDeltas: Int32Array;
  /** Bikes + free docks after each row (-1: unknown); absent: always unknown. */
  eventUsable?: Int32Array;
}

/** Hourly rates for the H hours of one horizon, with the gamma shapes of their spread. */
export interface HorizonHourlyRates {
  pickups: ArrayLike<number>;
  returns: ArrayLike<number>;
  pickupShape: number;
  returnShape: number;
}

/** A forecast of one station-horizon made from data before `origin` only (null: cannot). */
export type RateSource = (station: ReplayStation, origin: number, gridIndex: number, hours: number) => HorizonHourlyRates | null;

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
  capacity: CapacityPolicy;
  /** Rates of each station-horizon; default the historical average of `history` weeks. */
  rates?: { name: string; source: RateSource };
}

export interface StartOutcome {
  /** Share of station-horizons that never ran empty (nor full where it binds). */
  realised: number;
  /** The model's expected value of the same: 1 - mean of P(empty) + P(full) at the start used. */
  predicted: number;
  failures: number;
}

export interface CalibrationBin {
  /** Risk bin [from, to) of the model's P(empty) + P(full) at the start used. */
  from: number;
  to: number;
  station_horizons: number;
  mean_predicted_risk: number;
  realised_risk: number;
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
  rates: string;
  horizons: number;
  skipped_no_history: number;
  skipped_no_data: number;
  /** Station-horizons whose station held no bike and had no free dock at the start. */
  skipped_out_of_service: number;
  /** Station-horizons whose capacity came from the status at the start (bikes + free docks). */
  capacity_from_status: number;
  /** Station-horizons with no start meeting the service level (started at the least risky one). */
  infeasible: number;
  /** Mean width max - min + 1 of the intervals. */
  mean_interval_width: number;
  failed_rentals: number;
  failed_returns: number;
  failed_rentals_half_full: number;
  failed_returns_half_full: number;
  /** The same replay started at the interval's lower and upper edges. */
  edges: { min: StartOutcome; max: StartOutcome };
  calibration: CalibrationBin[];
  /** The same for the edge starts (min and max together): the service level where it binds. */
  calibration_edges: CalibrationBin[];
}

const BIN_EDGES = [0, 0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 1.000001];

function calibrationOf(bins: readonly { n: number; risk: number; failed: number }[]): CalibrationBin[] {
  return bins.map((b, i) => ({
    from: BIN_EDGES[i]!, to: Math.min(1, BIN_EDGES[i + 1]!), station_horizons: b.n,
    mean_predicted_risk: b.n ? b.risk / b.n : NaN, realised_risk: b.n ? b.failed / b.n : NaN,
  })).filter((b) => b.station_horizons > 0);
}

/** The default rates: the historical average of the weeks before the origin. */
export function historicalSource(history: HistoricalOptions): RateSource {
  return (st, _origin, o, hours) => historicalRates(st.grid, o, hours, history);
}

class Tally {
  n = 0; ok = 0; risk = 0; rentals = 0; returns = 0;
  add(o: ReturnType<typeof replayEvents>, risk: number, fullBinds: boolean): boolean {
    const failed = o.hitEmpty || (fullBinds && o.hitFull);
    this.n++;
    if (!failed) this.ok++;
    this.risk += risk;
    this.rentals += o.failedRentals;
    this.returns += o.failedReturns;
    return failed;
  }
  failures(fullBinds: boolean): number { return this.rentals + (fullBinds ? this.returns : 0); }
  outcome(fullBinds: boolean): StartOutcome {
    return { realised: this.n ? this.ok / this.n : NaN, predicted: this.n ? 1 - this.risk / this.n : NaN, failures: this.failures(fullBinds) };
  }
}

/**
 * `gridStart`: epoch seconds of grid index 0 (on the hour); `origins`: epoch seconds of each
 * horizon's start, on the hour, ascending.
 */
export function runReplay(stations: readonly ReplayStation[], gridStart: number, origins: readonly number[], opt: ReplayOptions): ReplaySummary {
  const ws = new Workspace();
  const H = opt.horizonHours;
  const source = opt.rates?.source ?? historicalSource(opt.history);
  const mid = new Tally(), half = new Tally(), lo = new Tally(), hi = new Tally();
  const newBins = () => BIN_EDGES.slice(1).map(() => ({ n: 0, risk: 0, failed: 0 }));
  const bins = newBins(), edgeBins = newBins();
  const binOf = (b: ReturnType<typeof newBins>, r: number, failed: boolean) => {
    const x = b[BIN_EDGES.findIndex((e, i) => r >= e && r < BIN_EDGES[i + 1]!)]!;
    x.n++; x.risk += r; if (failed) x.failed++;
  };
  let noHistory = 0, noData = 0, outOfService = 0, fromStatus = 0, infeasible = 0, widths = 0;
  for (const st of stations) {
    let ptr = 0;
    let usable = -1;
    const track = (upTo: number) => {
      if (st.eventUsable && upTo > 0) usable = st.eventUsable[upTo - 1]!;
    };
    for (const origin of origins) {
      const o = Math.round((origin - gridStart) / 3600);
      // The station must have been watched through the whole horizon.
      let watched = o + H <= st.grid.observed.length && o >= 0;
      for (let h = 0; watched && h < H; h++) if (st.grid.observed[o + h]! < opt.minObservedMinutes) watched = false;
      // Advance to the events of this horizon: (origin, origin + H h].
      while (ptr < st.eventTimes.length && st.eventTimes[ptr]! <= origin) ptr++;
      track(ptr);
      let end = ptr;
      while (end < st.eventTimes.length && st.eventTimes[end]! <= origin + H * 3600) end++;
      const deltas = st.eventDeltas.subarray(ptr, end);
      ptr = end;
      if (!watched) { noData++; continue; }
      const capacity = horizonCapacity(opt.capacity, st.racks, usable >= 0 ? usable : null);
      if (capacity === null || capacity <= 0) { outOfService++; continue; }
      const rates = source(st, origin, o, H);
      if (!rates) { noHistory++; continue; }
      if (usable >= 0) fromStatus++;
      const steps = hourlyToSteps(rates.pickups, rates.returns, 0, H * 60, opt.stepMinutes);
      const curves = mixedCurves(capacity, steps, { pickupShape: rates.pickupShape, returnShape: rates.returnShape, points: opt.points }, ws);
      const interval = targetInterval(curves, opt.service, opt.fullBinds);
      if (!interval.feasible) infeasible++;
      widths += interval.max - interval.min + 1;
      const risk = (n: number) => Math.min(1, curves.pEmpty[n]! + (opt.fullBinds ? curves.pFull[n]! : 0));
      const run = (t: Tally, start: number) => t.add(replayEvents(deltas, start, capacity, opt.truckThreshold), risk(start), opt.fullBinds);
      const m = midpoint(interval);
      const failed = run(mid, m);
      run(half, Math.round(capacity / 2));
      binOf(bins, risk(m), failed);
      binOf(edgeBins, risk(interval.min), run(lo, interval.min));
      binOf(edgeBins, risk(interval.max), run(hi, interval.max));
    }
  }
  const n = mid.n;
  const failures = mid.failures(opt.fullBinds);
  const failuresHalf = half.failures(opt.fullBinds);
  return {
    nominal: opt.service,
    realised: mid.outcome(opt.fullBinds).realised,
    failures,
    failures_half_full: failuresHalf,
    station_horizons: n,
    realised_half_full: half.outcome(opt.fullBinds).realised,
    failure_reduction: failuresHalf > 0 ? 1 - failures / failuresHalf : NaN,
    predicted: mid.outcome(opt.fullBinds).predicted,
    rates: opt.rates?.name ?? 'historical-average',
    horizons: origins.length,
    skipped_no_history: noHistory,
    skipped_no_data: noData,
    skipped_out_of_service: outOfService,
    capacity_from_status: fromStatus,
    infeasible,
    mean_interval_width: n ? widths / n : NaN,
    failed_rentals: mid.rentals,
    failed_returns: mid.returns,
    failed_rentals_half_full: half.rentals,
    failed_returns_half_full: half.returns,
    edges: { min: lo.outcome(opt.fullBinds), max: hi.outcome(opt.fullBinds) },
    calibration: calibrationOf(bins),
    calibration_edges: calibrationOf(edgeBins),
  };
}
