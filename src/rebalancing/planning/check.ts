// An independent checker for plans: it reads a `Plan` as a user sees it (station ids, collect/drop
// counts, ISO arrival times, loads) and re-derives everything from the inputs with its own
// arithmetic, sharing no code with the solvers: truck loads in [0, capacity] and consistent with
// each stop's count, arrival times equal to travel + handling from the start, back at the depot
// within the shift (from when the truck is free at its start), a fixed time per stop, no move
// smaller than the fleet's minimum unless the curve says it avoids a failure, bikes at a station never below 0 (nor above what it may hold), each station
// visited at most once, a stop a truck is driving to kept first (and to that truck), and the expected failures claimed, per stop and in total.
import type { Plan } from './plan.ts';

export interface CheckStation {
  bikes: number;
  capacity: number;
  /** Expected failures by bikes at the start, 0..capacity. */
  failures: ArrayLike<number>;
}

export interface CheckTruck {
  capacity: number;
  shiftMinutes: number;
  startLoad: number;
  /** Minutes after `at` when the truck is free at its start (a truck driving to its first stop). */
  readyMinutes?: number;
  /** The station the truck is driving to: if it stops there, that is its first stop, and no other truck stops there. */
  headingTo?: string;
}

export interface CheckInput {
  stations: ReadonlyMap<string, CheckStation>;
  trucks: ReadonlyMap<string, CheckTruck>;
  /** Seconds between places named 'depot', 'start:<truck>' (only for trucks with their own) or a station id. */
  travel: (from: string, to: string) => number;
  /** Trucks with their own start ('start:<id>'); the others start at the depot. */
  ownStart: ReadonlySet<string>;
  handlingSPerBike: number;
  /** Fixed seconds per stop. */
  stopSPerStop: number;
  /** Smallest move a stop may make, unless the curve says the move avoids `exemptGain` failures. */
  minMove: number;
  exemptGain: number;
}

export interface PlanCheck {
  ok: boolean;
  errors: string[];
}

const TOL_S = 1.01; // arrivals are printed to the second
const TOL_F = 2e-3; // failures are printed to 4 decimals

export function checkPlan(plan: Plan, input: CheckInput): PlanCheck {
  const errors: string[] = [];
  const at = Date.parse(plan.at) / 1000;
  if (Number.isNaN(at)) errors.push(`at '${plan.at}' is not an ISO 8601 time`);
  const f = (s: CheckStation, x: number) => Number(s.failures[Math.min(Math.max(0, x), s.capacity)]);
  const seen = new Map<string, string>();
  const headedBy = new Map<string, string>();
  for (const [id, t] of input.trucks) if (t.headingTo !== undefined) headedBy.set(t.headingTo, id);
  const trucksSeen = new Set<string>();
  let gain = 0;
  for (const route of plan.routes) {
    const truck = input.trucks.get(route.truck);
    const w = `truck '${route.truck}'`;
    if (!truck) { errors.push(`${w}: not in the fleet`); continue; }
    if (trucksSeen.has(route.truck)) errors.push(`${w}: has two routes`);
    trucksSeen.add(route.truck);
    if (route.start_load !== truck.startLoad) errors.push(`${w}: starts with ${route.start_load} bikes, the fleet says ${truck.startLoad}`);
    let load = truck.startLoad;
    let place = input.ownStart.has(route.truck) ? `start:${route.truck}` : 'depot';
    let t = at + 60 * (truck.readyMinutes ?? 0);
    let drive = 0;
    let handling = 0;
    route.stops.forEach((stop, k) => {
      const where = `${w}, stop ${k + 1} ('${stop.station_id}')`;
      const st = input.stations.get(stop.station_id);
      if (!st) { errors.push(`${where}: unknown station`); return; }
      if (seen.has(stop.station_id)) errors.push(`${where}: station already visited by ${seen.get(stop.station_id)}`);
      seen.set(stop.station_id, route.truck);
      const headed = headedBy.get(stop.station_id);
      if (headed !== undefined && (headed !== route.truck || k > 0)) errors.push(`${where}: truck '${headed}' is driving to this station, so only it may stop there, as its first stop`);
      const hasC = stop.collect !== undefined, hasD = stop.drop !== undefined;
      if (hasC === hasD) errors.push(`${where}: needs exactly one of collect and drop`);
      const n = hasC ? stop.collect! : hasD ? stop.drop! : 0;
      if (!Number.isInteger(n) || n <= 0) errors.push(`${where}: count must be a positive integer, got ${n}`);
      const q = hasC ? n : -n;
      load += q;
      if (stop.load_after !== load) errors.push(`${where}: load_after ${stop.load_after}, but the counts give ${load}`);
      if (load < 0 || load > truck.capacity) errors.push(`${where}: load ${load} outside [0, ${truck.capacity}]`);
      const after = st.bikes - q;
      if (stop.bikes_before !== null && stop.bikes_before !== st.bikes) errors.push(`${where}: bikes_before ${stop.bikes_before}, the station has ${st.bikes}`);
      if (stop.bikes_after !== null && stop.bikes_after !== after) errors.push(`${where}: bikes_after ${stop.bikes_after}, expected ${after}`);
      if (after < 0) errors.push(`${where}: takes ${n} bikes from a station holding ${st.bikes}`);
      if (after > Math.max(st.capacity, st.bikes)) errors.push(`${where}: leaves ${after} bikes at a station that holds at most ${Math.max(st.capacity, st.bikes)}`);
      const d = input.travel(place, stop.station_id);
      drive += d;
      t += d;
      const claimed = Date.parse(stop.arrival) / 1000;
      if (!(Math.abs(claimed - t) <= TOL_S)) errors.push(`${where}: arrival ${stop.arrival}, but travel and handling give ${new Date(t * 1000).toISOString()}`);
      t += input.stopSPerStop + input.handlingSPerBike * n;
      handling += input.stopSPerStop + input.handlingSPerBike * n;
      place = stop.station_id;
      const fb = f(st, st.bikes), fa = f(st, after);
      if (n < input.minMove && fb - fa < input.exemptGain) errors.push(`${where}: moves ${n} bikes, fewer than the minimum move ${input.minMove}, and avoids only ${(fb - fa).toFixed(3)} expected failures`);
      if (Math.abs(stop.failures_before - fb) > TOL_F || Math.abs(stop.failures_after - fa) > TOL_F) errors.push(`${where}: failures ${stop.failures_before} -> ${stop.failures_after}, the curve gives ${fb} -> ${fa}`);
      gain += fb - fa;
    });
    if (route.stops.length > 0) {
      const back = input.travel(place, 'depot');
      t += back;
      drive += back;
      const end = Date.parse(route.end) / 1000;
      if (!(Math.abs(end - t) <= TOL_S)) errors.push(`${w}: back at the depot at ${route.end}, but the stops give ${new Date(t * 1000).toISOString()}`);
      if (t - at > truck.shiftMinutes * 60 + TOL_S) errors.push(`${w}: works ${((t - at) / 60).toFixed(1)} min, more than the ${truck.shiftMinutes}-minute shift`);
      if (Math.abs(route.driving_minutes - drive / 60) > 0.02) errors.push(`${w}: driving_minutes ${route.driving_minutes}, recomputed ${(drive / 60).toFixed(2)}`);
      if (Math.abs(route.handling_minutes - handling / 60) > 0.02) errors.push(`${w}: handling_minutes ${route.handling_minutes}, recomputed ${(handling / 60).toFixed(2)}`);
    }
  }
  let before = 0;
  for (const s of input.stations.values()) before += f(s, s.bikes);
  const tol = TOL_F * Math.max(1, seen.size);
  if (Math.abs(plan.expected_failures_before - before) > tol) errors.push(`expected_failures_before ${plan.expected_failures_before}, the curves give ${before}`);
  if (Math.abs(plan.expected_failures_after - (before - gain)) > tol) errors.push(`expected_failures_after ${plan.expected_failures_after}, the stops give ${before - gain}`);
  return { ok: errors.length === 0, errors };
}
