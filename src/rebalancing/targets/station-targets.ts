// Targets for one station and for a whole network: exact curves (with the forecast's spread),
// the interval, the class of the current inventory and the expected-failures curve.
import type { StationId } from '../../platform/ids.ts';
import { Workspace, type HorizonRates } from './birth-death.ts';
import { classify, type TargetClass } from './classify.ts';
import { failureCurve, type FailureCurve } from './failure-curve.ts';
import { targetInterval } from './interval.ts';
import { mixedCurves } from './overdispersion.ts';

export interface StationInput {
  stationId: StationId;
  district?: string | null;
  /** The model's capacity (see capacity.ts): states 0..capacity. */
  capacity: number;
  /** Bikes now; null when the store has no status for the station at that time. */
  current: number | null;
  rates: HorizonRates;
  /** Gamma shapes of the horizon's rate factors (Infinity: no spread). */
  pickupShape: number;
  returnShape: number;
}

export interface TargetOptions {
  service: number;
  /** Quadrature points per gamma factor (1 = ignore the spread). */
  points: number;
  /** Whether reaching capacity counts against the service level. */
  fullBinds: boolean;
}

export interface StationTarget {
  station_id: StationId;
  district: string | null;
  capacity: number;
  current: number | null;
  min: number;
  max: number;
  feasible: boolean;
  class: TargetClass | null;
  bring: number;
  take: number;
  /** Expected failed rentals + returns over the horizon starting from `current` (null if unknown). */
  expected_failures: number | null;
  /** P(empty during the horizon) + P(full) (where capacity binds), starting from `current`. */
  risk_at_current: number | null;
  curve: FailureCurve;
  p_empty: number[];
  p_full: number[];
}

export const DEFAULT_POINTS = 3;

export function stationTarget(input: StationInput, options: TargetOptions, ws: Workspace = new Workspace()): StationTarget {
  const curves = mixedCurves(input.capacity, input.rates, { pickupShape: input.pickupShape, returnShape: input.returnShape, points: options.points }, ws);
  const interval = targetInterval(curves, options.service, options.fullBinds);
  const curve = failureCurve(curves, options.fullBinds ? 1 : 0);
  const cls = input.current === null ? null : classify(input.current, interval);
  // A Seoul station may hold more bikes than the model's capacity: read the curve at the cap.
  const at = input.current === null ? null : Math.min(Math.max(0, Math.round(input.current)), input.capacity);
  const risk = (n: number) => curves.pEmpty[n]! + (options.fullBinds ? curves.pFull[n]! : 0);
  return {
    station_id: input.stationId,
    district: input.district ?? null,
    capacity: input.capacity,
    current: input.current,
    min: interval.min,
    max: interval.max,
    feasible: interval.feasible,
    class: cls?.class ?? null,
    bring: cls?.bring ?? 0,
    take: cls?.take ?? 0,
    expected_failures: at === null ? null : curve.total[at]!,
    risk_at_current: at === null ? null : risk(at),
    curve,
    p_empty: Array.from(curves.pEmpty),
    p_full: Array.from(curves.pFull),
  };
}

/** Targets for every station, sharing one workspace (the hot path of `urbanlab targets`). */
export function networkTargets(stations: readonly StationInput[], options: TargetOptions): StationTarget[] {
  const ws = new Workspace();
  return stations.map((s) => stationTarget(s, options, ws));
}
