// Split (Prins 2004; Vidal 2016): cut a giant tour, one sequence of every visit, into routes in the
// best way that keeps its order, by a shortest path over the tour's cut points. A route's cost is its
// travel cost plus the cost evaluator's penalty for its load excess, so a tour that no cut makes
// load-feasible still splits into the least-overflowing routes. O(n^2) for an unlimited fleet.
import { Solution } from '../solution.ts';
import type { OperatorContext } from './context.ts';

/** Routes that keep the tour's order, at least penalised cost, as a new solution. */
export function splitTour(tour: ArrayLike<number>, ctx: OperatorContext): Solution {
  const { visits, ce } = ctx;
  const q = visits.q;
  const m = tour.length;
  const w = ce.loadPenalty;
  // best[k]: least cost of routing tour[0..k); pred[k]: where the last route of that starts.
  const best = new Float64Array(m + 1).fill(Infinity);
  const pred = new Int32Array(m + 1);
  best[0] = 0;
  for (let i = 0; i < m; i++) {
    if (best[i] === Infinity) continue;
    let travel = 0;
    let prev = 0;
    let s = 0;
    let lo = 0;
    let hi = 0;
    for (let k = i; k < m; k++) {
      const v = tour[k]!;
      travel += ce.arc(prev, v);
      prev = v;
      s += q[v]!;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
      const distance = travel + ce.arc(v, 0);
      // A route over the length limit is not allowed, unless it is one visit (no cut can help it).
      // Not a break: without the triangle inequality a longer route may come back under the limit.
      if (distance > ce.maxRouteCost && k > i) continue;
      const excess = ce.loadExcess(lo, hi);
      if (excess > 0 && w === Infinity && k > i) break;
      const cost = best[i]! + distance + (excess > 0 ? w * excess : 0);
      if (cost < best[k + 1]!) {
        best[k + 1] = cost;
        pred[k + 1] = i;
      }
      // Travel only grows as the route gets longer (costs are not negative): once it alone exceeds
      // the best full split found, no longer route from i can lead to a better one.
      if (best[i]! + travel > best[m]!) break;
    }
  }
  const routes: number[][] = [];
  for (let k = m; k > 0; k = pred[k]!) routes.push(Array.from({ length: k - pred[k]! }, (_, j) => tour[pred[k]! + j]!));
  return Solution.of(visits, ce, routes.reverse());
}

/** The visits of a solution's routes, one after another. */
export function giantTour(sol: Solution): number[] {
  const tour: number[] = [];
  for (const r of sol.routes) for (const v of r.visits) tour.push(v);
  return tour;
}
