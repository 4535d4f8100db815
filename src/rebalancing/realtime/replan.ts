// Real-time dynamic rebalancing (issue 21): ONE re-plan step, from the live state to every truck's
// new stop list. The live service's loop (src/server/loop) and the simulator's rolling, static and
// oracle policies (src/simulation/policies) both call `replanFleet`; the only thing the simulator
// replaces is the clock (and where the bikes, trucks and rates come from). Pure and synchronous:
// plain data in, plain data out, no store and no clock, so it also runs in a worker thread.
//
//   live state (bikes per station) + rates over the horizon (the forecast from the hour of the
//   instant; the oracle hands in the real flows) -> stage 3 targets (targetsAt) -> stage 4 plan of
//   every truck from where it is, with what it carries, the stop it is driving to kept first,
//   warm-started from the previous plan (planFleet).
import type { Plan } from '../planning/plan.ts';
import type { Fleet } from '../planning/fleet.ts';
import type { PlanStationRow } from '../planning/build.ts';
import { planFleet, type PlanFleetResult } from '../planning/plan-fleet.ts';
import type { MatrixFile } from '../planning/travel.ts';
import type { ZoneSplitInput } from '../planning/by-zones.ts';
import type { CapacityPolicy } from '../targets/capacity.ts';
import type { HorizonHourlyRates } from '../targets/replay-run.ts';
import { forecastRatesOf, targetsAt, type StationNow, type TargetRow } from '../targets/run.ts';
import { DEFAULT_POINTS } from '../targets/station-targets.ts';
import { hoursSpanned } from '../targets/steps.ts';
import type { ForecastRates, StationRow } from '../targets/store.ts';

/** A station as the re-plan reads it: the station list's row (racks, place) and its operator number. */
export type ReplanStation = StationRow & { number?: string | null };

export interface ReplanInput {
  system: string;
  /** The system's IANA zone (the plan's arrival times are printed in it). */
  timeZone: string;
  /** The instant (epoch seconds): the state is as of then, and the trucks leave then. */
  atS: number;
  /** The stations that take part (those in service at the instant). */
  stations: readonly ReplanStation[];
  /** Bikes at each station now (and what it can hold now); a station without one is not planned. */
  state: ReadonlyMap<string, StationNow>;
  /**
   * Hourly rates over the horizon. A forecast (the stored one in the service, the simulator's
   * in-memory prediction), whose hours must cover the hour of `atS` on; or, for the oracle bound, a
   * lookup of the real future flows. Never anything the caller could not know at `atS`, except in
   * the oracle.
   */
  rates: ForecastRates | ((stationId: string, hours: number) => HorizonHourlyRates | null);
  /**
   * The trucks as they are now: `start` where each is (`ownStart` true once it left the depot),
   * `startLoad` what it carries, `headingTo` the stop it is driving to and the minutes left (kept
   * first), `shiftMinutes` the shift time LEFT from `atS` (the route must end at the depot by then).
   * Trucks off shift are left out by the caller.
   */
  fleet: Fleet;
  /** The plan in force: its stops not yet reached at `atS` are where the search starts (warm start). */
  previous?: Plan | null;
}

export interface ReplanOptions {
  /** Stage 3: the horizon (default 180 min), steps (15 min), service level (0.9), quadrature points, capacity policy. */
  horizonMinutes?: number;
  stepMinutes?: number;
  service?: number;
  points?: number;
  policy: CapacityPolicy;
  /** Stage 4: the planning budget (wall clock) and, for reproducible runs, an iteration budget. */
  timeLimitS: number;
  maxIterations?: number;
  seed?: number;
  driveWeightPerHour?: number;
  matrix?: MatrixFile;
  zones?: ZoneSplitInput;
  /** The target run named in the plan (default `<system>-<instant>-replan`). */
  runId?: string;
  /**
   * Operators' station rules (the service): a station's failure curves weigh this many times more
   * in the plan's objective (a pinned station); 0 leaves it out of the plan (forbidden: never
   * visited, unless a truck is already driving to it). Its targets are computed all the same.
   */
  stationWeights?: ReadonlyMap<string, number>;
  /**
   * A move is worth making only when it avoids at least this many expected failures per bike moved
   * (default 0: any gain). Charged in the plan's objective: each station's curve gets this much per
   * bike away from its bikes now, so a stop of q bikes gains (failures avoided - charge x |q|) and the
   * search sizes and picks stops by that. The plan's expected failures then include the charge.
   */
  moveCostPerBike?: number;
}

export interface ReplanResult {
  /** Stage 3's rows at the instant (interval, class, failure curves) for every station with rates. */
  targets: TargetRow[];
  /** Their class ratios, system-wide and per district (what a stored target run keeps). */
  summary: ReturnType<typeof targetsAt>['summary'];
  /** The checked plan: per truck, the stops from now (the stop it drives to first). */
  plan: Plan;
  /** planFleet's result (the problem's indices, the greedy baseline, iterations). */
  planned: PlanFleetResult;
  skipped: { no_rates: number; no_racks: number };
  seconds: { targets: number; plan: number; total: number };
}

// The shift rules of a re-plan, shared by the simulator's planned policies and the service's loop.
/** Trucks with less than this left of their shift are not planned. */
export const MIN_SHIFT_LEFT_S = 10 * 60;
/** Minutes a rolling plan may run past its horizon: the drive back to the depot the planner requires. */
export const PLAN_DRIVE_HOME_MINUTES = 30;

export const REPLAN_DEFAULTS = { horizonMinutes: 180, stepMinutes: 15, service: 0.9 } as const;

/**
 * One re-plan cycle on the live state. Stations the truck is driving to must be among `stations`
 * with a state (else planFleet refuses: a driven-to stop always stays first).
 */
export function replanFleet(input: ReplanInput, opts: ReplanOptions): ReplanResult {
  const t0 = performance.now();
  const horizonMinutes = opts.horizonMinutes ?? REPLAN_DEFAULTS.horizonMinutes;
  const hours = hoursSpanned((input.atS % 3600) / 60, horizonMinutes);
  const rates = input.rates;
  const ratesOf = typeof rates === 'function' ? (id: string) => rates(id, hours) : forecastRatesOf(rates, input.atS, hours);
  // A station the truck is driving to stays plannable even when its rates are missing: it gets a flat curve.
  const t = targetsAt(input.stations, input.state, ratesOf, {
    atS: input.atS, horizonMinutes, stepMinutes: opts.stepMinutes ?? REPLAN_DEFAULTS.stepMinutes, service: opts.service ?? REPLAN_DEFAULTS.service,
    points: opts.points ?? DEFAULT_POINTS, policy: opts.policy,
  });
  const t1 = performance.now();
  const info = new Map(input.stations.map((s) => [s.station_id as string, s]));
  const rows: PlanStationRow[] = [];
  const have = new Set<string>();
  const cost = opts.moveCostPerBike ?? 0;
  const drivenTo = new Set(input.fleet.trucks.flatMap((x) => (x.headingTo ? [x.headingTo.stationId as string] : [])));
  for (const r of t.targets) {
    const s = info.get(r.station_id)!;
    const w = opts.stationWeights?.get(r.station_id) ?? 1;
    if (w === 0 && !drivenTo.has(r.station_id)) continue;
    const weigh = (curve: number[]) => (w === 1 || w === 0 ? curve : curve.map((x) => x * w));
    const charge = (curve: number[]) => (!cost || r.current === null ? curve : curve.map((x, b) => x + cost * Math.abs(b - r.current!)));
    have.add(r.station_id);
    rows.push({
      station_id: r.station_id, current: r.current, capacity: r.capacity, failed_rentals: charge(weigh(r.curve.rentals)), failed_returns: weigh(r.curve.returns),
      name: s.name, number: s.number ?? null, district: r.district, lat: s.lat, lon: s.lon,
    });
  }
  for (const truck of input.fleet.trucks) {
    const id = truck.headingTo?.stationId;
    if (id === undefined || have.has(id)) continue;
    const s = info.get(id);
    const now = input.state.get(id);
    if (!s || !now) continue;
    // No curve (no rates or racks): moving bikes there gains nothing; the stop stays first all the same.
    const cap = Math.max(now.bikes, now.usable ?? s.racks ?? now.bikes);
    const flat = new Array<number>(cap + 1).fill(0);
    rows.push({ station_id: s.station_id, current: now.bikes, capacity: cap, failed_rentals: flat, failed_returns: flat, name: s.name, number: s.number ?? null, district: s.district, lat: s.lat, lon: s.lon });
    have.add(id);
  }
  const runId = opts.runId ?? `${input.system}-${new Date(input.atS * 1000).toISOString().replace(/[-:]/g, '').slice(0, 15)}-replan`;
  const planned = planFleet(
    {
      system: input.system, atS: input.atS, timeZone: input.timeZone, targetRun: runId, horizonMinutes, stations: rows,
      ...(opts.matrix ? { matrix: opts.matrix } : {}), ...(opts.driveWeightPerHour === undefined ? {} : { driveWeightPerHour: opts.driveWeightPerHour }),
    },
    input.fleet,
    { timeLimitS: opts.timeLimitS, seed: opts.seed ?? 1, ...(opts.maxIterations === undefined ? {} : { maxIterations: opts.maxIterations }), warmStart: input.previous ?? null, ...(opts.zones ? { zones: opts.zones } : {}) },
  );
  const t2 = performance.now();
  return {
    targets: t.targets, summary: t.summary, plan: planned.plan, planned, skipped: { no_rates: t.noRates, no_racks: t.noRacks },
    seconds: { targets: (t1 - t0) / 1000, plan: (t2 - t1) / 1000, total: (t2 - t0) / 1000 },
  };
}
