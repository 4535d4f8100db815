// The routing instance: one immutable value at station level. Everything the engine and the checker
// need to know about a problem lives here; solvers derive their own working model from it.
import { UserError } from '../../platform/errors.ts';

/** A problem in the input was found: the message names what is wrong and where. */
export class InstanceError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'InstanceError';
  }
}

export type StartLoad = number | 'free';

export interface Instance {
  readonly name: string;
  /** Station ids as strings; index 0 is the depot. */
  readonly ids: readonly string[];
  /** Bikes to move at each station: > 0 collect (too many), < 0 drop (too few); demand[0] = 0. */
  readonly demand: Int32Array;
  /** Travel cost, n x n row-major, diagonal 0 (input sentinels are dropped). */
  readonly cost: Float64Array;
  readonly capacity: number;
  /** Maximum number of routes; Infinity when unlimited. */
  readonly vehicles: number;
  /** Load a truck leaves the depot with: a number, or 'free' (any load the route needs). */
  readonly startLoad: StartLoad;
  /** Dell'Amico form: every station visited exactly once, by one truck, with its whole demand. */
  readonly visitAll: boolean;
  /** Upper bound on one route's cost (e.g. 160 km); Infinity when none. */
  readonly maxRouteCost: number;
}

export interface InstanceSpec {
  name: string;
  ids: readonly string[];
  demand: readonly number[];
  /** n x n, as rows or flat row-major. */
  cost: readonly (readonly number[])[] | Float64Array;
  capacity: number;
  vehicles?: number;
  startLoad?: StartLoad;
  visitAll?: boolean;
  maxRouteCost?: number;
}

export function stationCount(instance: Instance): number {
  return instance.ids.length;
}

/**
 * Validates a spec and freezes it into an Instance. `where` prefixes every message (usually the
 * file), so a user knows what to fix.
 */
export function makeInstance(spec: InstanceSpec, where = spec.name): Instance {
  const fail = (msg: string): never => {
    throw new InstanceError(`${where}: ${msg}`);
  };
  const n = spec.ids.length;
  if (n < 1) fail('no stations (the first one must be the depot)');
  if (!Number.isInteger(spec.capacity) || spec.capacity <= 0) fail(`capacity must be a positive integer, got ${spec.capacity}`);
  const Q = spec.capacity;
  const vehicles = spec.vehicles ?? Infinity;
  if (vehicles !== Infinity && (!Number.isInteger(vehicles) || vehicles < 1)) fail(`vehicles must be a positive integer, got ${vehicles}`);
  const startLoad = spec.startLoad ?? 'free';
  if (startLoad !== 'free' && (!Number.isInteger(startLoad) || startLoad < 0 || startLoad > Q)) {
    fail(`start_load must be "free" or an integer in [0, ${Q}], got ${JSON.stringify(startLoad)}`);
  }
  const maxRouteCost = spec.maxRouteCost ?? Infinity;
  if (!(maxRouteCost > 0)) fail(`the route limit must be positive, got ${maxRouteCost}`);
  const visitAll = spec.visitAll ?? false;

  const seen = new Map<string, number>();
  spec.ids.forEach((id, i) => {
    if (typeof id !== 'string' || id.length === 0) fail(`station ${i}: id must be a non-empty string`);
    const prev = seen.get(id);
    if (prev !== undefined) fail(`station id '${id}' appears twice (positions ${prev} and ${i})`);
    seen.set(id, i);
  });
  if (spec.demand.length !== n) fail(`${spec.demand.length} demands for ${n} stations`);
  const demand = new Int32Array(n);
  for (let i = 1; i < n; i++) {
    const d = spec.demand[i]!;
    if (!Number.isInteger(d)) fail(`station '${spec.ids[i]}': demand must be an integer, got ${d}`);
    if (visitAll && Math.abs(d) > Q) {
      fail(`station '${spec.ids[i]}': demand ${d} exceeds the truck capacity ${Q}, and visit_all forbids splitting it over several visits`);
    }
    demand[i] = d;
  }

  const cost = new Float64Array(n * n);
  if (spec.cost instanceof Float64Array) {
    if (spec.cost.length !== n * n) fail(`cost matrix has ${spec.cost.length} entries, expected ${n} x ${n} = ${n * n}`);
    cost.set(spec.cost);
  } else {
    if (spec.cost.length !== n) fail(`cost matrix has ${spec.cost.length} rows, expected ${n} (one per station)`);
    spec.cost.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== n) fail(`cost matrix row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, expected ${n}`);
      for (let j = 0; j < n; j++) cost[i * n + j] = row[j]!;
    });
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) {
        cost[i * n + j] = 0; // diagonals hold sentinels (1e9) in the published files
        continue;
      }
      const c = cost[i * n + j]!;
      if (!Number.isFinite(c) || c < 0) fail(`cost from '${spec.ids[i]}' to '${spec.ids[j]}' must be a finite non-negative number, got ${c}`);
    }
  }
  return Object.freeze({ name: spec.name, ids: Object.freeze([...spec.ids]), demand, cost, capacity: Q, vehicles, startLoad, visitAll, maxRouteCost });
}
