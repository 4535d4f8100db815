// A solution built against the visits model: routes of visits (depot implicit at both ends) with
// cached prefix/suffix load segments and cumulative costs, so that inserting a visit anywhere is
// evaluated in O(1). Visits a limited fleet cannot serve are kept in `unserved`.
import type { CostEvaluator } from './cost-evaluator.ts';
import type { Visits } from './visits.ts';

export class Route {
  visits: number[];
  /** Load segment of the first k visits: pSum[k], pMin[k], pMax[k] (k = 0..len). */
  pSum = new Int32Array(0);
  pMin = new Int32Array(0);
  pMax = new Int32Array(0);
  /** Load segment of visits k..len-1. */
  sSum = new Int32Array(0);
  sMin = new Int32Array(0);
  sMax = new Int32Array(0);
  distance = 0;

  constructor(visits: number[]) {
    this.visits = visits;
  }

  get length(): number {
    return this.visits.length;
  }

  /** Recompute the caches after the visit list changed. */
  update(q: Int32Array, ce: CostEvaluator): void {
    const v = this.visits;
    const len = v.length;
    if (this.pSum.length < len + 1) {
      const cap = len + 8;
      this.pSum = new Int32Array(cap);
      this.pMin = new Int32Array(cap);
      this.pMax = new Int32Array(cap);
      this.sSum = new Int32Array(cap);
      this.sMin = new Int32Array(cap);
      this.sMax = new Int32Array(cap);
    }
    let s = 0;
    let lo = 0;
    let hi = 0;
    this.pSum[0] = 0;
    this.pMin[0] = 0;
    this.pMax[0] = 0;
    for (let k = 0; k < len; k++) {
      s += q[v[k]!]!;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
      this.pSum[k + 1] = s;
      this.pMin[k + 1] = lo;
      this.pMax[k + 1] = hi;
    }
    this.sSum[len] = 0;
    this.sMin[len] = 0;
    this.sMax[len] = 0;
    for (let k = len - 1; k >= 0; k--) {
      const x = q[v[k]!]!;
      this.sSum[k] = x + this.sSum[k + 1]!;
      this.sMin[k] = Math.min(0, x + this.sMin[k + 1]!);
      this.sMax[k] = Math.max(0, x + this.sMax[k + 1]!);
    }
    this.distance = ce.routeCost(v);
  }

  clone(): Route {
    const r = new Route(this.visits.slice());
    r.pSum = this.pSum.slice();
    r.pMin = this.pMin.slice();
    r.pMax = this.pMax.slice();
    r.sSum = this.sSum.slice();
    r.sMin = this.sMin.slice();
    r.sMax = this.sMax.slice();
    r.distance = this.distance;
    return r;
  }
}

export class Solution {
  routes: Route[];
  unserved: number[];
  /** Route index and position of each visit (-1 when unrouted). */
  routeOf: Int32Array;
  posOf: Int32Array;

  constructor(n: number, routes: Route[] = [], unserved: number[] = []) {
    this.routes = routes;
    this.unserved = unserved;
    this.routeOf = new Int32Array(n).fill(-1);
    this.posOf = new Int32Array(n).fill(-1);
    this.reindex();
  }

  /** Recompute routeOf/posOf for every route (after routes were added, dropped or reordered). */
  reindex(): void {
    this.routeOf.fill(-1);
    this.routes.forEach((_, r) => this.indexRoute(r));
  }

  indexRoute(r: number): void {
    const v = this.routes[r]!.visits;
    for (let k = 0; k < v.length; k++) {
      this.routeOf[v[k]!] = r;
      this.posOf[v[k]!] = k;
    }
  }

  distance(): number {
    let d = 0;
    for (const r of this.routes) d += r.distance;
    return d;
  }

  cost(ce: CostEvaluator): number {
    return ce.penalisedCost(this.distance(), this.unserved.length);
  }

  /** Drop empty routes and reindex. */
  compact(): void {
    if (this.routes.some((r) => r.length === 0)) {
      this.routes = this.routes.filter((r) => r.length > 0);
      this.reindex();
    }
  }

  clone(): Solution {
    const s = Object.create(Solution.prototype) as Solution;
    s.routes = this.routes.map((r) => r.clone());
    s.unserved = this.unserved.slice();
    s.routeOf = this.routeOf.slice();
    s.posOf = this.posOf.slice();
    return s;
  }

  static empty(visits: Visits): Solution {
    const all: number[] = [];
    for (let v = 1; v < visits.n; v++) all.push(v);
    return new Solution(visits.n, [], all);
  }
}
