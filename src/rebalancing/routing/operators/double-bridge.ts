// Perturbation: the double bridge of iterated local search for the TSP (Martin, Otto & Felten,
// 1991): a route A B C D becomes A C B D. Local search undoes it only by a 4-opt move, which ours
// does not have, so on long routes it leaves the basin of a 3-opt optimum; string removal with
// reinsertion alone does not (measured on the Dell'Amico routes, which are 3-opt optimal at the end).
import type { Solution } from '../solution.ts';
import type { OperatorContext } from './context.ts';

/** Minimum route length worth bridging: below it the three cuts leave segments of one visit. */
const MIN_LENGTH = 8;

/** Applies one double bridge to a random route of `sol` long enough for it (in place). */
/** Returns the visits on both sides of each cut, or null when no route is long enough. */
export function doubleBridge(sol: Solution, ctx: OperatorContext): number[] | null {
  const { rng, visits } = ctx;
  const long: number[] = [];
  sol.routes.forEach((r, i) => {
    if (r.length >= MIN_LENGTH) long.push(i);
  });
  if (long.length === 0) return null;
  const r = long[rng.int(0, long.length - 1)]!;
  const len = sol.routes[r]!.length;
  // Three cuts 0 < i < j < k <= len, drawn as distinct positions.
  const cuts = new Set<number>();
  while (cuts.size < 3) cuts.add(rng.int(1, len));
  const [i, j, k] = [...cuts].sort((a, b) => a - b) as [number, number, number];
  const route = sol.mutable(r);
  const v = route.visits;
  route.visits = [...v.slice(0, i), ...v.slice(j, k), ...v.slice(i, j), ...v.slice(k)];
  route.update(visits.q, ctx.ce);
  sol.indexRoute(r);
  const ends = [v[i - 1]!, v[i]!, v[j - 1]!, v[j]!, v[k - 1]!];
  if (k < len) ends.push(v[k]!);
  return ends;
}
