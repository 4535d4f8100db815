// The checker of the engine's prize-collecting form: it shares no code with the search (nor with
// prize-instance.ts's helpers) and re-derives everything from the instance: each truck used once,
// each station at most once, a stop the truck is already driving to first (and by no other truck),
// whole non-zero moves, the truck's load within [0, capacity] from its start load, the station's
// bikes within [0, what it may hold], no move below the minimum unless its curve says it avoids a
// failure, arrivals from travel + fixed stop time + handling per bike from when the truck is free,
// back at the depot within the shift, and (when claimed) the objective: expected failures after the
// routes plus the weight on driving time.
import type { PlanProblem, TruckRoute } from './prize-instance.ts';

export interface PrizeCheckReport {
  ok: boolean;
  errors: string[];
  /** Expected failures after the routes, recomputed. */
  failuresAfter: number;
  /** Failures after + driving weight x driving hours, recomputed. */
  objective: number;
}

/** A move smaller than the minimum is allowed where it avoids at least this many expected failures. */
const EXEMPT = 1;
const TOL = 1e-6;

export function checkPrizeRoutes(p: PlanProblem, routes: readonly TruckRoute[], claimedObjective?: number): PrizeCheckReport {
  const errors: string[] = [];
  const S = p.stations.length;
  const f = (s: number, x: number) => {
    const st = p.stations[s]!;
    return st.failures[Math.min(Math.max(0, x), st.capacity)]!;
  };
  let before = 0;
  for (let s = 0; s < S; s++) before += f(s, p.stations[s]!.bikes);
  const pinnedTo = new Map<number, number>();
  p.trucks.forEach((t, i) => { if (t.start < S) pinnedTo.set(t.start, i); });
  const visitedBy = new Int32Array(S).fill(-1);
  const used = new Set<number>();
  let gain = 0;
  let driveAll = 0;
  for (const r of routes) {
    const w = `truck ${r.truck}`;
    const truck = p.trucks[r.truck];
    if (!truck) { errors.push(`${w}: no such truck`); continue; }
    if (used.has(r.truck)) errors.push(`${w}: has two routes`);
    used.add(r.truck);
    if (r.visits.length !== r.qty.length) { errors.push(`${w}: ${r.visits.length} stops but ${r.qty.length} quantities`); continue; }
    let load = truck.startLoad;
    let place = truck.start;
    let t = truck.readyS ?? 0;
    let drive = 0;
    for (let k = 0; k < r.visits.length; k++) {
      const s = r.visits[k]!;
      const q = r.qty[k]!;
      const where = `${w}, stop ${k + 1} (station ${s})`;
      if (!Number.isInteger(s) || s < 0 || s >= S) { errors.push(`${where}: no such station`); continue; }
      if (visitedBy[s]! >= 0) errors.push(`${where}: already visited by truck ${visitedBy[s]}`);
      visitedBy[s] = r.truck;
      const pin = pinnedTo.get(s);
      if (pin !== undefined && (pin !== r.truck || k !== 0)) errors.push(`${where}: truck ${pin} is driving to this station, so only it may stop there, first`);
      if (!Number.isInteger(q) || q === 0) errors.push(`${where}: moves ${q} bikes (a stop moves a non-zero whole number)`);
      const st = p.stations[s]!;
      load += q;
      if (load < 0 || load > truck.capacity) errors.push(`${where}: load ${load} outside [0, ${truck.capacity}]`);
      const after = st.bikes - q;
      if (after < 0) errors.push(`${where}: takes ${q} bikes from a station holding ${st.bikes}`);
      if (after > Math.max(st.capacity, st.bikes)) errors.push(`${where}: leaves ${after} bikes where at most ${Math.max(st.capacity, st.bikes)} fit`);
      const g = f(s, st.bikes) - f(s, after);
      if (Math.abs(q) < p.minMove && g < EXEMPT) errors.push(`${where}: moves ${Math.abs(q)} bikes, fewer than the minimum ${p.minMove}, avoiding only ${g.toFixed(3)} failures`);
      gain += g;
      const d = p.travel.seconds(place, s);
      drive += d;
      t += d + p.stopS + p.handlingS * Math.abs(q);
      place = s;
    }
    if (r.visits.length > 0) {
      const back = p.travel.seconds(place, p.depot);
      drive += back;
      t += back;
      if (t > truck.shiftS + TOL) errors.push(`${w}: back at the depot after ${(t / 60).toFixed(2)} min, beyond its ${(truck.shiftS / 60).toFixed(2)}-min shift`);
    }
    driveAll += drive;
  }
  const failuresAfter = before - gain;
  const objective = failuresAfter + (p.driveWeightPerHour * driveAll) / 3600;
  if (claimedObjective !== undefined && Math.abs(claimedObjective - objective) > 1e-6 * Math.max(1, Math.abs(objective))) {
    errors.push(`claimed objective ${claimedObjective} differs from the recomputed ${objective}`);
  }
  return { ok: errors.length === 0, errors, failuresAfter, objective };
}
