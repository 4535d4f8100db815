// The planning library's entry (issue 18): from a stage-3 run's stations and a fleet's state to a
// checked plan. `route plan`, the morning chain, the simulator's rolling policy (every 15 minutes,
// with trucks mid-route) and the service call this one function; the store, files and clocks stay
// with them. A truck already driving to a stop says so in its `headingTo` (fleet.ts): its plan
// starts there, when it gets there. A warm start is the previous plan: its stops not yet reached
// are where the search begins.
import { buildProblem, DEFAULT_DRIVE_WEIGHT, type BuiltProblem, type PlanStationRow } from './build.ts';
import { planByZones, type ZoneSplitInput } from './by-zones.ts';
import type { Fleet } from './fleet.ts';
import type { Plan } from './plan.ts';
import { makePlan } from './planner.ts';
import type { PlanProblem, TruckRoute } from '../routing/prize-instance.ts';
import type { MatrixFile } from './travel.ts';

export interface PlanFleetInput {
  system: string;
  /** The plan's instant (epoch seconds): when the trucks are where the fleet says. */
  atS: number;
  /** The system's IANA zone: arrivals are printed in it. */
  timeZone: string;
  /** The target run the curves come from (printed in the plan). */
  targetRun: string;
  horizonMinutes: number;
  /**
   * The stations with their bikes now (`current`) and failure curves (as a target run stores them,
   * or as arrays); a caller with its own state (the simulator) passes its own bike counts in `current`.
   */
  stations: readonly PlanStationRow[];
  /** Road travel times; haversine x detour at the fleet's speed when absent. */
  matrix?: MatrixFile;
  /** Expected failures one hour of driving is worth; DEFAULT_DRIVE_WEIGHT when absent. */
  driveWeightPerHour?: number;
}

export interface PlanFleetOptions {
  /** Wall-clock budget of the whole call, in seconds. */
  timeLimitS: number;
  seed?: number;
  /** An iteration budget (for reproducible runs); stops at whichever of time and iterations comes first. */
  maxIterations?: number;
  /** The previous plan: its stops not yet reached at `atS` are where the search starts. */
  warmStart?: Plan | null;
  /** Plan zone by zone (trucks on the road go to the nearest zone); city-wide when absent. */
  zones?: ZoneSplitInput;
  /**
   * Which search: 'engine', the routing engine's prize-collecting form (routing/prize-search.ts),
   * the only one since the planner's own search ('legacy', planning/solver.ts) was removed after
   * bench/planner-compare.ts measured the engine no worse.
   */
  planner?: 'engine';
  /**
   * Clock in ms the time limit is measured by (default performance.now, wall-clock). A benchmark on
   * a shared machine passes the process's CPU time, so that both planners get the same work.
   */
  clock?: () => number;
}

/** The search planFleet uses when the caller names none. */
export const DEFAULT_PLANNER = 'engine' as const;

export interface PlanFleetResult {
  /** The plan, accepted by the independent checker. */
  plan: Plan;
  /** The greedy dispatcher's plan on the same problem (the comparison baseline), checked too. */
  greedy: Plan;
  /** The problem the plan was made for (station and truck indices of `routes`). */
  built: BuiltProblem;
  /** The plan's routes by truck index: stations (indices into built.problem.stations) and moves. */
  routes: TruckRoute[];
  seconds: number;
  iterations: number;
  greedySeconds: number;
}

export function planFleet(input: PlanFleetInput, fleet: Fleet, opts: PlanFleetOptions): PlanFleetResult {
  const started = performance.now();
  const now = opts.clock ?? (() => performance.now());
  const startedClock = now();
  const built = buildProblem(input.stations, fleet, { matrix: input.matrix, driveWeightPerHour: input.driveWeightPerHour ?? DEFAULT_DRIVE_WEIGHT, runId: input.targetRun });
  const p = built.problem;
  const ctx = { system: input.system, atS: input.atS, timeZone: input.timeZone, targetRun: input.targetRun, horizonMinutes: input.horizonMinutes, meta: built.meta, starts: built.starts };
  const left = Math.max(0, opts.timeLimitS - (now() - startedClock) / 1000);
  const solveOpts = { seed: opts.seed ?? 1, timeLimitS: left, maxIterations: opts.maxIterations, planner: opts.planner ?? DEFAULT_PLANNER, clock: opts.clock };
  const initial = opts.warmStart ? routesOfPlan(opts.warmStart, p, input.atS) : undefined;
  if (opts.zones) {
    const z = planByZones(p, ctx, opts.zones, { ...solveOpts, initial });
    return { plan: z.plan, greedy: z.greedy, built, routes: routesOfPlan(z.plan, p, -Infinity), seconds: (performance.now() - started) / 1000, iterations: z.iterations, greedySeconds: z.greedySeconds };
  }
  const r = makePlan(p, ctx, { ...solveOpts, initial });
  return { plan: r.plan, greedy: r.greedy, built, routes: r.solve.routes, seconds: (performance.now() - started) / 1000, iterations: r.solve.iterations, greedySeconds: r.greedySeconds };
}

/**
 * A plan's routes in a problem's indices: per truck of the problem (matched by id), the stops at
 * stations the problem has and that the plan reaches at or after `fromS` (earlier ones are done),
 * with the plan's moves. Trucks and stations the problem lacks are left out.
 */
export function routesOfPlan(plan: Plan, p: PlanProblem, fromS: number): TruckRoute[] {
  const station = new Map(p.stations.map((s, i) => [s.id, i]));
  const byTruck = new Map(plan.routes.map((r) => [r.truck, r]));
  return p.trucks.map((t, truck) => {
    const visits: number[] = [];
    const qty: number[] = [];
    for (const stop of byTruck.get(t.id)?.stops ?? []) {
      const v = station.get(stop.station_id);
      if (v === undefined || Date.parse(stop.arrival) / 1000 < fromS) continue;
      visits.push(v);
      qty.push(stop.collect ?? -(stop.drop ?? 0));
    }
    return { truck, visits, qty };
  });
}
