// The morning chain as one call (issue 18): for a system and an instant, the state then -> the
// forecast (stage 2) -> the targets (stage 3) -> the trucks' plan (stage 4). Every front end runs
// the chain through this: the demo and the benchmarks, the simulator every 15 simulated minutes (its
// own stations' bikes handed in as `state`), the service on the real clock. Each step's result is
// returned; `store: false` keeps the plan out of the store (the forecast and target runs are the
// store's own input to the next step, so they are always written).
import type { SystemId } from '../platform/ids.ts';
import { formatNumber } from '../platform/output/table.ts';
import type { Store } from '../platform/store/connection.ts';
import { HOUR_MS } from './forecast/calendar.ts';
import { fitAndSave, predictAndSave, type FitResult, type PredictResult } from './forecast/run.ts';
import type { FleetSource, PlanRunResult } from './planning/run.ts';
import { planTargetRun } from './planning/run.ts';
import type { MatrixFile } from './planning/travel.ts';
import { defaultCapacityPolicy, type CapacityPolicy } from './targets/capacity.ts';
import { DEFAULT_HISTORY } from './targets/historical-rates.ts';
import { computeTargetRun, type RatesChoice, type StationNow, type TargetRunResult } from './targets/run.ts';
import { DEFAULT_POINTS } from './targets/station-targets.ts';

/** One station's state at the instant, as a caller with its own world (the simulator) hands it in. */
export interface StationState {
  stationId: string;
  /** Bikes docked and rentable now. */
  bikes: number;
  /** Racks (docks) of the station; the station list's when null. */
  capacity: number | null;
  /** Bikes it can hold now (bikes + free docks), when some docks are out of order; capacity when absent. */
  usable?: number | null;
}

export interface ChainOptions {
  system: SystemId;
  /** The instant (epoch ms): the trucks leave then, and only data before it are read. */
  at: number;
  /** The trucks: a fleet file's text, or a fleet (with each truck's place, load, stop it drives to). */
  fleet: FleetSource;
  /** The stations' bikes at `at`; the store's status at that instant when absent. */
  state?: readonly StationState[];
  /** Stage 2: refit the model on the hours before `at` first (else the latest stored model; one is fitted when none). */
  refit?: boolean | { maxRows?: number; trees?: number };
  /** Hours the forecast covers (at least the horizon's; default 24). */
  forecastHours?: number;
  /** Stage 3 (defaults: 180 min, 15 min steps, service 0.9, the system's capacity policy, forecast rates). */
  horizonMinutes?: number;
  stepMinutes?: number;
  service?: number;
  policy?: CapacityPolicy;
  rates?: RatesChoice;
  /** Write the targets' class map and failure curve there. */
  chartsDir?: string;
  /** Stage 4: the planning budget, seed, drive weight, zones, road matrix. */
  timeLimitS?: number;
  seed?: number;
  maxIterations?: number;
  driveWeight?: number;
  zones?: string;
  matrix?: MatrixFile;
  /** Store the plan (default true). */
  store?: boolean;
  /** Progress lines. */
  log?: (msg: string) => void;
  /** Run at an instant more than a day after the store's latest status anyway (issue 19). */
  allowStale?: boolean;
}

export interface ChainResult {
  system: string;
  /** The instant the chain ran for (ISO 8601, UTC). */
  at: string;
  /** Where the state came from. */
  state: 'store' | 'handed-in';
  fit: FitResult | null;
  forecast: PredictResult;
  targets: TargetRunResult;
  plan: PlanRunResult;
}

/** The handed-in state as stage 3 reads it. */
export function stateByStation(state: readonly StationState[]): Map<string, StationNow> {
  return new Map(state.map((s) => [s.stationId, { bikes: s.bikes, racks: s.capacity, usable: s.usable ?? null }]));
}

export async function runChain(store: Store, opts: ChainOptions): Promise<ChainResult> {
  const { system, at } = opts;
  const iso = new Date(at).toISOString();
  const log = opts.log ?? (() => {});
  const horizonMinutes = opts.horizonMinutes ?? 180;
  let fit: FitResult | null = null;
  if (opts.refit) {
    log(`${system} at ${iso}: forecast fit (stage 2)`);
    const r = opts.refit === true ? {} : opts.refit;
    fit = await fitAndSave(store, { system, to: at, ...(r.maxRows ? { maxRows: r.maxRows } : {}), ...(r.trees ? { trees: r.trees } : {}), log });
  }
  // The forecast starts at the hour of `at` (stage 3 reads the hours its horizon spans from there).
  const origin = Math.floor(at / HOUR_MS) * HOUR_MS;
  // A handed-in state is the world's own: the store's status may be as old as it likes.
  const allowStale = opts.allowStale === true || opts.state !== undefined;
  const forecast = await predictAndSave(store, { system, origin, hours: Math.max(opts.forecastHours ?? 24, Math.ceil((at - origin) / HOUR_MS + horizonMinutes / 60)), allowStale, log });
  log(`forecast run ${forecast.runId}: ${formatNumber(forecast.rows.length)} station-hours; targets (stage 3)`);
  const targets = await computeTargetRun(store, {
    system, atS: at / 1000, horizonMinutes, stepMinutes: opts.stepMinutes ?? 15, service: opts.service ?? 0.9,
    points: DEFAULT_POINTS, weeks: DEFAULT_HISTORY.weeks, policy: opts.policy ?? defaultCapacityPolicy(system), rates: opts.rates ?? 'forecast',
    ...(opts.state ? { state: stateByStation(opts.state) } : {}),
    ...(opts.chartsDir ? { chartsDir: opts.chartsDir } : {}),
    allowStale, log,
  });
  const s = targets.summary.system;
  log(`target run ${targets.runId}: shortage ${s.shortage}, surplus ${s.surplus}, balanced ${s.balanced}; truck plan (stage 4)`);
  const plan = await planTargetRun(store, {
    system, fleet: opts.fleet, atS: at / 1000, timeLimitS: opts.timeLimitS ?? 30, seed: opts.seed ?? 1,
    ...(opts.maxIterations === undefined ? {} : { maxIterations: opts.maxIterations }),
    ...(opts.driveWeight === undefined ? {} : { driveWeight: opts.driveWeight }),
    ...(opts.zones === undefined ? {} : { zones: opts.zones }),
    ...(opts.matrix ? { matrix: opts.matrix } : {}),
    save: opts.store !== false, allowStale, log,
  });
  return { system, at: iso, state: opts.state ? 'handed-in' : 'store', fit, forecast, targets, plan };
}
