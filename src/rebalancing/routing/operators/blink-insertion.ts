// Recreate: put each removed visit back at its cheapest feasible place, skipping each candidate
// place with a small probability ("blinks", Christiaens & Vanden Berghe 2020) so the rebuild varies.
// Feasibility of a place is O(1): prefix segment + the visit + suffix segment. On large instances
// only places next to the visit's nearest routed neighbours are tried first (granular search), with
// a full scan as the fallback when none of them fits.
import type { Solution } from '../solution.ts';
import type { OperatorContext } from './context.ts';

export interface BlinkInsertionParams {
  blinkRate: number;
  /** Above this many visits, try neighbour places first. */
  granularAbove: number;
  /** How many nearest neighbours give candidate places. */
  granularNeighbours: number;
}

export const DEFAULT_BLINK_INSERTION: BlinkInsertionParams = { blinkRate: 0.01, granularAbove: 250, granularNeighbours: 40 };

type Order = 'random' | 'demand' | 'far' | 'close';
const ORDERS: readonly Order[] = ['random', 'random', 'random', 'random', 'demand', 'demand', 'demand', 'demand', 'far', 'far', 'close'];

/** Inserts `removed` and the solution's unserved visits into `sol` (in place). */
export function blinkInsertion(sol: Solution, removed: number[], ctx: OperatorContext, params: BlinkInsertionParams = DEFAULT_BLINK_INSERTION): void {
  const { rng, visits, ce } = ctx;
  const todo = removed.concat(sol.unserved);
  sol.unserved = [];
  sortVisits(todo, ORDERS[rng.int(0, ORDERS.length - 1)]!, ctx);
  const q = visits.q;
  const vehicles = visits.instance.vehicles;
  const granular = visits.n > params.granularAbove;

  let bestDelta = Infinity;
  let bestR = -1;
  let bestP = -1;
  const tryPlace = (v: number, r: number, p: number): void => {
    if (rng.next() < params.blinkRate) return;
    const R = sol.routes[r]!;
    const vis = R.visits;
    const a = p === 0 ? 0 : vis[p - 1]!;
    const b = p === vis.length ? 0 : vis[p]!;
    let delta = ce.insertDelta(a, v, b);
    // Excess can only fall when the route already overflows; otherwise the distance alone bounds.
    if (delta >= bestDelta && R.excess === 0) return;
    if (R.distance + delta > ce.maxRouteCost) return;
    const x = q[v]!;
    const s1 = R.pSum[p]! + x;
    let mn = R.pMin[p]!;
    let mx = R.pMax[p]!;
    if (s1 < mn) mn = s1;
    if (s1 > mx) mx = s1;
    const lo = s1 + R.sMin[p]!;
    const hi = s1 + R.sMax[p]!;
    if (lo < mn) mn = lo;
    if (hi > mx) mx = hi;
    const excess = ce.loadExcess(mn, mx);
    if (excess !== R.excess) {
      if (ce.loadPenalty === Infinity) return;
      delta += ce.loadPenalty * (excess - R.excess);
    }
    if (delta >= bestDelta) return;
    bestDelta = delta;
    bestR = r;
    bestP = p;
  };

  for (const v of todo) {
    bestDelta = Infinity;
    bestR = -1;
    bestP = -1;
    if (granular) {
      const nb = visits.neighbours[v]!;
      let seen = 0;
      for (let i = 0; i < nb.length && seen < params.granularNeighbours; i++) {
        const u = nb[i]!;
        const r = sol.routeOf[u]!;
        if (r < 0) continue;
        seen++;
        tryPlace(v, r, sol.posOf[u]!);
        tryPlace(v, r, sol.posOf[u]! + 1);
      }
    }
    if (bestR < 0) {
      for (let r = 0; r < sol.routes.length; r++) {
        const len = sol.routes[r]!.length;
        for (let p = 0; p <= len; p++) tryPlace(v, r, p);
      }
    }
    const alone = ce.arc(0, v) + ce.arc(v, 0);
    const canOpen = sol.routes.length < vehicles && alone <= ce.maxRouteCost && ce.loadFeasible(Math.min(0, q[v]!), Math.max(0, q[v]!));
    if (canOpen && alone < bestDelta) {
      const route = sol.newRoute([v]);
      route.update(q, ce);
      sol.routes.push(route);
      sol.indexRoute(sol.routes.length - 1);
    } else if (bestR >= 0) {
      const route = sol.mutable(bestR);
      route.visits.splice(bestP, 0, v);
      route.update(q, ce);
      sol.indexRoute(bestR);
    } else {
      sol.unserved.push(v);
    }
  }
}

function sortVisits(todo: number[], order: Order, ctx: OperatorContext): void {
  const { rng, visits, ce } = ctx;
  rng.shuffle(todo);
  if (order === 'demand') todo.sort((a, b) => Math.abs(visits.q[b]!) - Math.abs(visits.q[a]!));
  else if (order === 'far') todo.sort((a, b) => ce.arc(0, b) - ce.arc(0, a));
  else if (order === 'close') todo.sort((a, b) => ce.arc(0, a) - ce.arc(0, b));
}
