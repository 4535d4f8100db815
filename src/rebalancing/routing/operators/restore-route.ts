// Removing visits from a bike route can break it (drop the only delivery between two pickups and
// the truck overflows), so after a ruin each touched route gives up further visits until its cost
// fits the route limit again and, unless load excess is being penalised instead, its load fits.
import type { Route } from '../solution.ts';
import type { OperatorContext } from './context.ts';

/** Makes `route` feasible by removing visits; returns the removed ones (route caches are updated). */
export function restoreRoute(route: Route, ctx: OperatorContext): number[] {
  const { ce, visits } = ctx;
  const removed: number[] = [];
  route.update(visits.q, ce);
  for (;;) {
    const len = route.length;
    if (len === 0) return removed;
    if (ce.loadPenalty === Infinity && !ce.loadFeasible(route.pMin[len]!, route.pMax[len]!)) {
      // The first prefix that overflows ends at the visit to give up.
      let k = 1;
      while (k < len && ce.loadFeasible(route.pMin[k]!, route.pMax[k]!)) k++;
      removed.push(route.visits[k - 1]!);
      route.visits.splice(k - 1, 1);
    } else if (route.distance > ce.maxRouteCost) {
      // Give up the visit whose removal saves most.
      let best = 0;
      let bestSave = -Infinity;
      for (let k = 0; k < len; k++) {
        const a = k === 0 ? 0 : route.visits[k - 1]!;
        const b = k === len - 1 ? 0 : route.visits[k + 1]!;
        const save = ce.insertDelta(a, route.visits[k]!, b);
        if (save > bestSave) {
          bestSave = save;
          best = k;
        }
      }
      removed.push(route.visits[best]!);
      route.visits.splice(best, 1);
    } else {
      return removed;
    }
    route.update(visits.q, ce);
  }
}
