// Ruin: remove strings of consecutive visits from a few routes near a random seed visit (the
// "slack induction by string removals" of Christiaens & Vanden Berghe, 2020). Removing nearby
// strings from several routes frees room to rebuild them together.
import type { Solution } from '../solution.ts';
import type { OperatorContext } from './context.ts';
import { restoreRoute } from './restore-route.ts';

export interface StringRemovalParams {
  /** Average number of visits removed. */
  avgRemoved: number;
  /** Longest string. */
  maxStringLength: number;
  /** Probability of the split-string variant (a string with a kept gap inside). */
  splitRate: number;
}

export const DEFAULT_STRING_REMOVAL: StringRemovalParams = { avgRemoved: 10, maxStringLength: 10, splitRate: 0.5 };

/** Removes visits from `sol` (in place) and returns them; routes stay feasible, empties dropped. */
export function stringRemoval(sol: Solution, ctx: OperatorContext, params: StringRemovalParams = DEFAULT_STRING_REMOVAL): number[] {
  const { rng, visits } = ctx;
  const removed: number[] = [];
  let routed = 0;
  for (const r of sol.routes) routed += r.length;
  if (routed === 0) return removed;
  const lsMax = Math.min(params.maxStringLength, routed / sol.routes.length);
  const ksMax = (4 * params.avgRemoved) / (1 + lsMax) - 1;
  const ks = Math.floor(rng.next() * Math.max(1, ksMax)) + 1;

  // Seed: a random routed visit.
  let seed = 0;
  do seed = rng.int(1, visits.n - 1);
  while (sol.routeOf[seed]! < 0);

  const touched: number[] = [];
  const ruined = new Set<number>();
  const nb = visits.neighbours[seed]!;
  for (let i = -1; i < nb.length && ruined.size < ks; i++) {
    const c = i < 0 ? seed : nb[i]!;
    const r = sol.routeOf[c]!;
    if (r < 0 || ruined.has(r)) continue;
    ruined.add(r);
    touched.push(r);
    const route = sol.routes[r]!;
    const len = route.length;
    const lMax = Math.max(1, Math.min(len, Math.floor(lsMax)));
    const l = rng.int(1, lMax);
    const pos = sol.posOf[c]!;
    if (l < len && rng.next() < params.splitRate) {
      // Split string: l + m consecutive visits, of which m consecutive ones in the middle are kept.
      let m = 1;
      while (l + m < len && rng.next() < 0.5) m++;
      const span = l + m;
      const start = clamp(pos - rng.int(0, span - 1), 0, len - span);
      const keepAt = start + rng.int(0, l);
      for (let k = start; k < start + span; k++) if (k < keepAt || k >= keepAt + m) removed.push(route.visits[k]!);
    } else {
      const start = clamp(pos - rng.int(0, l - 1), 0, len - l);
      for (let k = start; k < start + l; k++) removed.push(route.visits[k]!);
    }
  }
  for (const v of removed) sol.routeOf[v] = -1;
  for (const r of touched) {
    const route = sol.mutable(r);
    route.visits = route.visits.filter((v) => sol.routeOf[v]! >= 0);
    for (const v of restoreRoute(route, ctx)) {
      sol.routeOf[v] = -1;
      removed.push(v);
    }
    sol.indexRoute(r);
  }
  sol.compact();
  return removed;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
