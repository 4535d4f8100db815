// The operational planning problem (issue 9) as the solvers see it: stations with their bikes now
// and their expected-failures curve, trucks with their start, load, capacity and shift, travel
// times and a handling time per bike. Places are numbered: stations 0..S-1, the depot S, then each
// truck's own start. Pure; the CLI builds it from the store and the fleet file.
import type { StationId } from '../../platform/ids.ts';

/** Seconds from place a to place b (indices into the places the model was built for). */
export interface TravelTimes {
  readonly n: number;
  seconds(a: number, b: number): number;
  /** How the times were made, for reports. */
  readonly source: string;
}

export interface PlanStation {
  id: StationId;
  /** Bikes at the station at --at (a Seoul station may hold more than its model capacity). */
  bikes: number;
  /** The model's capacity: `failures` is indexed by bikes at the start, 0..capacity. */
  capacity: number;
  /** Expected failed rentals + failed returns over the horizon by bikes at the start. */
  failures: Float64Array;
}

export interface PlanTruck {
  id: string;
  capacity: number;
  shiftS: number;
  startLoad: number;
  /** Place index where the truck starts (the depot or its own start). */
  start: number;
  /**
   * Seconds after --at when the truck is free at `start` (0 by default). A truck already driving to
   * a stop starts its plan at that stop when it gets there: what it does there is the plan's first
   * stop (no drive), so the stop it is driving to stays first.
   */
  readyS?: number;
}

export interface PlanProblem {
  stations: readonly PlanStation[];
  depot: number;
  trucks: readonly PlanTruck[];
  travel: TravelTimes;
  handlingS: number;
  /** Fixed seconds per stop (parking, walking to the racks), besides handlingS per bike. */
  stopS: number;
  /**
   * Smallest move worth a stop: a move of fewer bikes is allowed only where the curve says it
   * avoids at least MIN_MOVE_EXEMPT_GAIN expected failures (see allowedMove).
   */
  minMove: number;
  /** Expected failures one hour of driving is worth (the objective's weight on driving time). */
  driveWeightPerHour: number;
}

/** One truck's work: stations in order, and what it does at each (> 0 collect, < 0 drop). */
export interface TruckRoute {
  truck: number;
  visits: number[];
  qty: number[];
}

/** Expected failures at a station that starts the horizon with x bikes (the curve is flat past capacity). */
export function failuresAt(s: PlanStation, x: number): number {
  return s.failures[Math.min(Math.max(0, x), s.capacity)]!;
}

/** Most bikes a drop may leave at a station: its model capacity (or what it already holds, if more). */
export function upperBikes(s: PlanStation): number {
  return Math.max(s.capacity, s.bikes);
}

/** The drop in expected failures from moving q bikes at s (q > 0 collect, q < 0 drop). */
export function gainOf(s: PlanStation, q: number): number {
  return failuresAt(s, s.bikes) - failuresAt(s, s.bikes - q);
}

/** A move smaller than the fleet's min_move is still made when it avoids this many expected failures. */
export const MIN_MOVE_EXEMPT_GAIN = 1;

/**
 * Whether a stop may move q bikes at s (q = 0: no stop, always allowed): at least `minMove` bikes,
 * or fewer where the failure curve names a failure they avoid (issue 19: a small move is not worth
 * a stop otherwise).
 */
export function allowedMove(s: PlanStation, q: number, minMove: number): boolean {
  return q === 0 || Math.abs(q) >= minMove || gainOf(s, q) >= MIN_MOVE_EXEMPT_GAIN;
}

export function expectedFailuresBefore(p: PlanProblem): number {
  let f = 0;
  for (const s of p.stations) f += failuresAt(s, s.bikes);
  return f;
}

export interface RouteTiming {
  /** Seconds after --at: arrival at each stop. */
  arrival: number[];
  driveS: number;
  /** Time at the stops: the fixed stop time plus handling per bike. */
  handlingS: number;
  /** Back at the depot (0 for a truck that does nothing). */
  endS: number;
}

/**
 * Arrival times: from the truck's start when it is free there, drive, stop (fixed time + |q| bikes
 * handled), drive on; the route ends back at the depot.
 */
export function routeTiming(p: PlanProblem, r: TruckRoute): RouteTiming {
  const arrival: number[] = [];
  if (r.visits.length === 0) return { arrival, driveS: 0, handlingS: 0, endS: 0 };
  const truck = p.trucks[r.truck]!;
  let place = truck.start;
  let t = truck.readyS ?? 0;
  let drive = 0;
  let handling = 0;
  r.visits.forEach((v, k) => {
    const d = p.travel.seconds(place, v);
    drive += d;
    t += d;
    arrival.push(t);
    const h = p.stopS + p.handlingS * Math.abs(r.qty[k]!);
    handling += h;
    t += h;
    place = v;
  });
  const back = p.travel.seconds(place, p.depot);
  return { arrival, driveS: drive + back, handlingS: handling, endS: t + back };
}

/** Sum of the failure drops along a route. */
export function routeGain(p: PlanProblem, r: TruckRoute): number {
  let g = 0;
  r.visits.forEach((v, k) => (g += gainOf(p.stations[v]!, r.qty[k]!)));
  return g;
}

/** What the search minimises: expected failures after the plan + the weight on driving time. */
export function planObjective(p: PlanProblem, routes: readonly TruckRoute[]): { failuresAfter: number; driveS: number; objective: number } {
  const before = expectedFailuresBefore(p);
  let gain = 0;
  let drive = 0;
  for (const r of routes) {
    gain += routeGain(p, r);
    drive += routeTiming(p, r).driveS;
  }
  const failuresAfter = before - gain;
  return { failuresAfter, driveS: drive, objective: failuresAfter + (p.driveWeightPerHour * drive) / 3600 };
}
