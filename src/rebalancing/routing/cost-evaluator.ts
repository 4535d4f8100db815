// The one place where cost is computed: travel cost of arcs, routes and solutions, and the penalty
// for visits left unserved (only possible when the fleet is limited or a start load is fixed).
import { loadExcess } from './load-segment.ts';
import type { Visits } from './visits.ts';

export class CostEvaluator {
  readonly n: number;
  readonly dist: Float64Array;
  readonly capacity: number;
  readonly startLoad: number | 'free';
  readonly maxRouteCost: number;
  /** Cost charged per unserved visit: more than any route could save by leaving it out. */
  readonly unservedPenalty: number;
  /**
   * Cost per bike of load excess. The search may pass through routes that overflow a truck (it
   * crosses the fragmented feasible space of tight instances far more easily); the penalty manager
   * tunes this weight so that about half the candidates are feasible. Only feasible solutions are
   * ever returned.
   */
  loadPenalty = Infinity;

  constructor(visits: Visits) {
    this.n = visits.n;
    this.dist = visits.dist;
    const inst = visits.instance;
    this.capacity = inst.capacity;
    this.startLoad = inst.startLoad;
    this.maxRouteCost = inst.maxRouteCost;
    let maxArc = 0;
    for (let i = 0; i < this.dist.length; i++) if (this.dist[i]! > maxArc) maxArc = this.dist[i]!;
    this.unservedPenalty = 4 * maxArc + 1;
  }

  arc(a: number, b: number): number {
    return this.dist[a * this.n + b]!;
  }

  /** Extra cost of putting v between a and b. */
  insertDelta(a: number, v: number, b: number): number {
    const d = this.dist;
    const n = this.n;
    return d[a * n + v]! + d[v * n + b]! - d[a * n + b]!;
  }

  routeCost(route: ArrayLike<number>): number {
    let prev = 0;
    let c = 0;
    for (let i = 0; i < route.length; i++) {
      c += this.arc(prev, route[i]!);
      prev = route[i]!;
    }
    return route.length === 0 ? 0 : c + this.arc(prev, 0);
  }

  /** Bikes over capacity (0 when the load profile fits a truck). */
  loadExcess(min: number, max: number): number {
    return loadExcess(min, max, this.capacity, this.startLoad);
  }

  loadFeasible(min: number, max: number): boolean {
    return this.loadExcess(min, max) === 0;
  }

  /** The figure the search minimises: travel cost plus the penalties for load excess and unserved visits. */
  penalisedCost(distance: number, excess: number, unserved: number): number {
    return distance + (excess > 0 ? this.loadPenalty * excess : 0) + this.unservedPenalty * unserved;
  }
}
