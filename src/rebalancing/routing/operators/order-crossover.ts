// Order crossover (OX; Oliver, Smith & Holland 1987) of two giant tours, as in hybrid genetic search
// for routing (Vidal et al. 2012, 2022): the child keeps a random stretch of the first parent in place
// and fills the other positions with the remaining visits in the second parent's order, starting
// after the stretch. The child is a tour of the same visits, to be split into routes.
import type { Rng } from '../rng.ts';

export function orderCrossover(a: readonly number[], b: readonly number[], rng: Rng, maxVisit: number): number[] {
  const m = a.length;
  if (m !== b.length) throw new Error(`order crossover: parents of ${m} and ${b.length} visits`);
  if (m < 2) return a.slice();
  const start = rng.int(0, m - 1);
  let end = rng.int(0, m - 1);
  while (end === start) end = rng.int(0, m - 1);
  const child = new Array<number>(m);
  const taken = new Uint8Array(maxVisit + 1);
  // The stretch start..end of a, wrapping around the end of the tour.
  const stretch = ((end - start + m) % m) + 1;
  for (let t = 0; t < stretch; t++) {
    const k = (start + t) % m;
    child[k] = a[k]!;
    taken[a[k]!] = 1;
  }
  let pos = (end + 1) % m;
  for (let t = 0; t < m; t++) {
    const v = b[(end + 1 + t) % m]!;
    if (taken[v]) continue;
    child[pos] = v;
    pos = (pos + 1) % m;
  }
  return child;
}
