// A solution checker that shares nothing with the optimiser: it reads routes as a user sees them
// (station ids with collect/drop quantities) and checks them against the Instance from scratch.
import type { Instance } from './instance.ts';

export interface CheckedStop {
  id: string;
  collect?: number;
  drop?: number;
}

export interface CheckedRoute {
  stops: readonly CheckedStop[];
}

export interface CheckReport {
  ok: boolean;
  errors: string[];
  /** Total travel cost recomputed from the routes. */
  objective: number;
}

export function checkSolution(instance: Instance, routes: readonly CheckedRoute[], claimedObjective?: number): CheckReport {
  const errors: string[] = [];
  const N = instance.ids.length;
  const index = new Map<string, number>();
  instance.ids.forEach((id, i) => index.set(id, i));
  const moved = new Float64Array(N);
  const visits = new Int32Array(N);
  let objective = 0;
  let used = 0;

  routes.forEach((route, r) => {
    if (route.stops.length === 0) return;
    used++;
    let prev = 0;
    let cost = 0;
    let load = 0;
    let lo = 0;
    let hi = 0;
    route.stops.forEach((stop, k) => {
      const where = `route ${r}, stop ${k} ('${stop.id}')`;
      const s = index.get(stop.id);
      if (s === undefined) {
        errors.push(`${where}: unknown station id`);
        return;
      }
      if (s === 0) {
        errors.push(`${where}: the depot cannot be a stop`);
        return;
      }
      const hasC = stop.collect !== undefined;
      const hasD = stop.drop !== undefined;
      if (hasC === hasD) errors.push(`${where}: needs exactly one of collect or drop`);
      const qty = hasC ? stop.collect! : hasD ? -stop.drop! : 0;
      if (!Number.isInteger(qty) || (hasC && stop.collect! < 0) || (hasD && stop.drop! < 0)) errors.push(`${where}: quantity must be a non-negative integer`);
      moved[s] = moved[s]! + qty;
      visits[s] = visits[s]! + 1;
      cost += instance.cost[prev * N + s]!;
      prev = s;
      load += qty;
      if (load < lo) lo = load;
      if (load > hi) hi = load;
    });
    cost += instance.cost[prev * N]!;
    objective += cost;
    // The load after each stop is start + prefix; it must stay within [0, Q].
    const Q = instance.capacity;
    if (instance.startLoad === 'free') {
      if (hi - lo > Q) errors.push(`route ${r}: load varies by ${hi - lo} bikes along the route, more than the capacity ${Q}`);
    } else {
      const L = instance.startLoad;
      if (L + lo < 0) errors.push(`route ${r}: load falls to ${L + lo} (start load ${L})`);
      if (L + hi > Q) errors.push(`route ${r}: load rises to ${L + hi}, above the capacity ${Q}`);
    }
    if (cost > instance.maxRouteCost * (1 + 1e-9)) errors.push(`route ${r}: cost ${cost} exceeds the route limit ${instance.maxRouteCost}`);
  });

  if (used > instance.vehicles) errors.push(`${used} routes for ${instance.vehicles} vehicles`);
  for (let s = 1; s < N; s++) {
    const id = instance.ids[s];
    if (moved[s] !== instance.demand[s]) errors.push(`station '${id}': moved ${moved[s]} bikes (collect > 0), demand is ${instance.demand[s]}`);
    if (instance.visitAll && visits[s] !== 1) errors.push(`station '${id}': visited ${visits[s]} times, visit_all asks for exactly once`);
  }
  if (claimedObjective !== undefined && Math.abs(claimedObjective - objective) > 1e-6 * Math.max(1, Math.abs(objective))) {
    errors.push(`claimed objective ${claimedObjective} differs from the recomputed ${objective}`);
  }
  return { ok: errors.length === 0, errors, objective };
}
