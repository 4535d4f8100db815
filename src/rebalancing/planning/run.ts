// Stage 4's entry for a front end (the command line, the morning chain, the demo): the latest target
// run at or before an instant, its stations and curves, a fleet -> a checked plan through
// planFleet (the planning library's one entry), stored in plans/plan_stops when asked. Typed values
// in; reading the fleet or matrix file is the caller's.
import { createHash } from 'node:crypto';
import { UserError } from '../../platform/errors.ts';
import type { Store } from '../../platform/store/connection.ts';
import { STALE_HOURS } from '../../platform/stations/in-service.ts';
import { checkStatusAge, type StatusAge } from '../../platform/status/age.ts';
import { DEFAULT_DRIVE_WEIGHT } from './build.ts';
import { areaOf, parseFleet, type Fleet } from './fleet.ts';
import type { Plan } from './plan.ts';
import { planFleet } from './plan-fleet.ts';
import { latestTargetRun, loadRunStations, savePlan } from './store.ts';
import type { MatrixFile } from './travel.ts';
import { loadZoneSet } from './zones/store.ts';

/** A fleet as a file's text (checked against the stations' area when parsed) or already parsed. */
export type FleetSource = { text: string; file: string } | { fleet: Fleet };

export interface PlanRunOptions {
  system: string;
  fleet: FleetSource;
  /** When the trucks leave (epoch seconds); the latest target run at or before it is used. Default: the latest run, at its time. */
  atS?: number;
  /** Plan zone by zone with this stored zone set. */
  zones?: string;
  matrix?: MatrixFile;
  /** Names the matrix in the plan's id (its file). */
  matrixName?: string;
  timeLimitS: number;
  seed: number;
  maxIterations?: number;
  /** Expected failures one hour of driving is worth. */
  driveWeight?: number;
  /** Store the plan (default true). */
  save?: boolean;
  /** An `atS` more than staleHours (default STALE_HOURS) after the latest status is refused unless allowStale. */
  staleHours?: number;
  allowStale?: boolean;
  /** Notes for the user (stderr on the command line): how old the status is past the data. */
  log?: (msg: string) => void;
}

export interface PlanRunResult {
  plan: Plan;
  planId: string;
  seconds: number;
  iterations: number;
  greedySeconds: number;
  skipped: Record<string, number>;
  stations: number;
  travel: string;
  /** How old the latest status is at `atS` (only checked when `atS` is given). */
  statusAge: StatusAge | null;
}

export async function planTargetRun(store: Store, opts: PlanRunOptions): Promise<PlanRunResult> {
  // An instant past the data (issue 19): say how old the status is; refuse past the limit unless allowed.
  const statusAge = opts.atS === undefined ? null
    : await checkStatusAge(store, opts.system, opts.atS, (opts.staleHours ?? STALE_HOURS) * 3600, { allowStale: opts.allowStale, flag: '--at', log: opts.log });
  const run = await latestTargetRun(store, opts.system, opts.atS ?? null);
  const atS = opts.atS ?? run.atS;
  if (atS > run.atS + run.horizonMinutes * 60) {
    throw new UserError(`the latest target run (${run.runId}) covers ${new Date(run.atS * 1000).toISOString()} + ${run.horizonMinutes} min, which ends before --at: run \`urbanlab targets --system ${opts.system} --at ${new Date(atS * 1000).toISOString()}\` first`);
  }
  const rows = await loadRunStations(store, opts.system, run.runId);
  const fleetKey = 'text' in opts.fleet ? opts.fleet.text : JSON.stringify(opts.fleet.fleet);
  const fleet = 'text' in opts.fleet
    ? parseFleet(opts.fleet.text, opts.fleet.file, areaOf(rows.filter((r) => r.lat !== null && r.lon !== null).map((r) => ({ lat: r.lat!, lon: r.lon! }))))
    : opts.fleet.fleet;
  if (!rows.some((r) => r.current !== null && r.lat !== null && r.lon !== null)) throw new UserError(`target run ${run.runId}: no station has both a bike count and a place`);
  const driveWeight = opts.driveWeight ?? DEFAULT_DRIVE_WEIGHT;
  const set = opts.zones === undefined ? undefined : await loadZoneSet(store, opts.system, opts.zones);
  // Progress (issue 19): the search runs to its budget without a word, so say what it is working on.
  opts.log?.(`route plan: ${rows.length} stations of target run ${run.runId}, ${fleet.trucks.length} truck(s); searching for up to ${opts.timeLimitS} s${opts.maxIterations === undefined ? '' : ` or ${opts.maxIterations} iterations`}`);
  const r = planFleet(
    { system: opts.system, atS, timeZone: run.timeZone, targetRun: run.runId, horizonMinutes: run.horizonMinutes, stations: rows, matrix: opts.matrix, driveWeightPerHour: driveWeight },
    fleet,
    { timeLimitS: opts.timeLimitS, seed: opts.seed, maxIterations: opts.maxIterations, ...(set ? { zones: { name: set.name, zones: set.zones } } : {}) },
  );
  opts.log?.(`route plan: done in ${r.seconds.toFixed(1)} s, ${r.iterations} iterations; expected failures ${r.plan.expected_failures_before.toFixed(2)} -> ${r.plan.expected_failures_after.toFixed(2)}`);
  const hash = createHash('sha1').update(fleetKey).update(String(opts.seed)).update(opts.matrixName ?? '').update(String(driveWeight)).update(opts.zones ?? '').digest('hex').slice(0, 8);
  const planId = `${opts.system}-${new Date(atS * 1000).toISOString().replace(/[-:]/g, '').slice(0, 13)}-${hash}`;
  if (opts.save !== false) {
    await savePlan(store, { planId, fleet: JSON.parse(fleetKey), travel: r.built.problem.travel.source, seed: opts.seed, timeLimitS: opts.timeLimitS }, r.plan, atS);
  }
  return {
    plan: r.plan, planId, seconds: r.seconds, iterations: r.iterations, greedySeconds: r.greedySeconds,
    skipped: r.built.skipped, stations: r.built.problem.stations.length, travel: r.built.problem.travel.source, statusAge,
  };
}
