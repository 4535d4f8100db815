// A solution built against the visits model: routes of visits (depot implicit at both ends) with
// cached prefix/suffix load segments and cumulative costs, so that inserting a visit anywhere is
// evaluated in O(1). Visits a limited fleet cannot serve are kept in `unserved`.
import type { CostEvaluator } from './cost-evaluator.ts';
import type { Visits } from './visits.ts';

const NONE = new Int32Array(0);
const NO_COST = new Float64Array(0);
let nextOwner = 1;

export class Route {
  visits: number[];
  /** Load segment of the first k visits: pSum[k], pMin[k], pMax[k] (k = 0..len). */
  pSum: Int32Array = NONE;
  pMin: Int32Array = NONE;
  pMax: Int32Array = NONE;
  /** Load segment of visits k..len-1. */
  sSum: Int32Array = NONE;
  sMin: Int32Array = NONE;
  sMax: Int32Array = NONE;
  /** cum[k]: cost from the depot through the first k visits (arriving at visit k-1). */
  cum: Float64Array = NO_COST;
  /** rcum[k]: cost of walking the first k visits backwards, sum over t < k of arc(v[t+1], v[t]). */
  rcum: Float64Array = NO_COST;
  /** Sparse tables of pSum's range minima and maxima (built on first use after an update). */
  private minTable: Int32Array = NONE;
  private maxTable: Int32Array = NONE;
  private tableFresh = false;
  distance = 0;
  /** Bikes over capacity along this route (0 when feasible). */
  excess = 0;
  /** The solution allowed to change this route in place (routes are shared copy-on-write). */
  owner = 0;

  constructor(visits: number[], owner = 0) {
    this.visits = visits;
    this.owner = owner;
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
      this.cum = new Float64Array(cap);
      this.rcum = new Float64Array(cap);
    }
    this.tableFresh = false;
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
    let c = 0;
    let prev = 0;
    this.cum[0] = 0;
    for (let k = 0; k < len; k++) {
      c += ce.arc(prev, v[k]!);
      prev = v[k]!;
      this.cum[k + 1] = c;
    }
    this.distance = len === 0 ? 0 : c + ce.arc(prev, 0);
    this.excess = ce.loadExcess(lo, hi);
    this.rcum[0] = 0;
    for (let k = 1; k < len; k++) this.rcum[k] = this.rcum[k - 1]! + ce.arc(v[k]!, v[k - 1]!);
  }

  /** Least pSum[k] for x <= k <= y: the load profile of any stretch of the route in O(1). */
  rangeMin(x: number, y: number): number {
    if (!this.tableFresh) this.buildTables();
    const j = 31 - Math.clz32(y - x + 1);
    const row = j * (this.length + 1);
    const a = this.minTable[row + x]!;
    const b = this.minTable[row + y - (1 << j) + 1]!;
    return a < b ? a : b;
  }

  /** Greatest pSum[k] for x <= k <= y. */
  rangeMax(x: number, y: number): number {
    if (!this.tableFresh) this.buildTables();
    const j = 31 - Math.clz32(y - x + 1);
    const row = j * (this.length + 1);
    const a = this.maxTable[row + x]!;
    const b = this.maxTable[row + y - (1 << j) + 1]!;
    return a > b ? a : b;
  }

  private buildTables(): void {
    const m = this.length + 1;
    const levels = 32 - Math.clz32(m);
    if (this.minTable.length < levels * m) {
      this.minTable = new Int32Array(levels * m);
      this.maxTable = new Int32Array(levels * m);
    }
    const mn = this.minTable;
    const mx = this.maxTable;
    for (let k = 0; k < m; k++) mn[k] = mx[k] = this.pSum[k]!;
    for (let j = 1; j < levels; j++) {
      const row = j * m;
      const prev = (j - 1) * m;
      const half = 1 << (j - 1);
      for (let k = 0; k + (1 << j) <= m; k++) {
        const a = mn[prev + k]!;
        const b = mn[prev + k + half]!;
        mn[row + k] = a < b ? a : b;
        const c = mx[prev + k]!;
        const d = mx[prev + k + half]!;
        mx[row + k] = c > d ? c : d;
      }
    }
    this.tableFresh = true;
  }

  clone(owner = 0): Route {
    const r = new Route(this.visits.slice(), owner);
    r.pSum = this.pSum.slice();
    r.pMin = this.pMin.slice();
    r.pMax = this.pMax.slice();
    r.sSum = this.sSum.slice();
    r.sMin = this.sMin.slice();
    r.sMax = this.sMax.slice();
    r.cum = this.cum.slice();
    r.rcum = this.rcum.slice();
    r.distance = this.distance;
    r.excess = this.excess;
    return r;
  }
}

export class Solution {
  /** Routes are shared between solutions until changed: call `mutable(r)` before changing one. */
  routes: Route[];
  readonly id = nextOwner++;
  unserved: number[];
  /** Route index and position of each visit (-1 when unrouted). */
  routeOf: Int32Array;
  posOf: Int32Array;

  constructor(n: number, routes: Route[] = [], unserved: number[] = []) {
    this.routes = routes;
    this.unserved = unserved;
    this.routeOf = n > 0 ? new Int32Array(n).fill(-1) : NONE;
    this.posOf = n > 0 ? new Int32Array(n).fill(-1) : NONE;
    if (n > 0) this.reindex();
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

  excess(): number {
    let e = 0;
    for (const r of this.routes) e += r.excess;
    return e;
  }

  feasible(): boolean {
    return this.unserved.length === 0 && this.excess() === 0;
  }

  cost(ce: CostEvaluator): number {
    return ce.penalisedCost(this.distance(), this.excess(), this.unserved.length);
  }

  /** Drop empty routes and reindex. */
  compact(): void {
    if (this.routes.some((r) => r.length === 0)) {
      this.routes = this.routes.filter((r) => r.length > 0);
      this.reindex();
    }
  }

  /** Route r, copied first if another solution shares it. */
  mutable(r: number): Route {
    const route = this.routes[r]!;
    if (route.owner === this.id) return route;
    // The caller changes the visits and calls update(), so the caches need no copying.
    const own = new Route(route.visits.slice(), this.id);
    own.distance = route.distance;
    own.excess = route.excess;
    this.routes[r] = own;
    return own;
  }

  /** A new route owned by this solution. */
  newRoute(visits: number[]): Route {
    return new Route(visits, this.id);
  }

  /** A copy sharing the routes (copy-on-write). */
  clone(): Solution {
    const s = new Solution(0);
    s.routes = this.routes.slice();
    s.unserved = this.unserved.slice();
    s.routeOf = this.routeOf.slice();
    s.posOf = this.posOf.slice();
    return s;
  }

  /** A solution of these routes (lists of visits), caches computed; visits not in them are unserved. */
  static of(visits: Visits, ce: CostEvaluator, routes: readonly (readonly number[])[]): Solution {
    const sol = new Solution(visits.n);
    sol.routes = routes.map((r) => {
      const route = sol.newRoute(r.slice());
      route.update(visits.q, ce);
      return route;
    });
    const routed = new Set(routes.flat());
    sol.unserved = [];
    for (let v = 1; v < visits.n; v++) if (!routed.has(v)) sol.unserved.push(v);
    sol.reindex();
    return sol;
  }

  static empty(visits: Visits): Solution {
    const all: number[] = [];
    for (let v = 1; v < visits.n; v++) all.push(v);
    return new Solution(visits.n, [], all);
  }
}
