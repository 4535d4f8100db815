// Load segments: what a piece of route does to the truck's load, summarised so that two pieces join
// in O(1) (the bike analogue of PyVRP's LoadSegment). For a piece, `sum` is the net change (collects
// minus drops) and `min`/`max` the lowest and highest cumulative change over its prefixes, the
// empty prefix included (so min <= 0 <= max). A route is load-feasible iff some start load L keeps
// L + every prefix within [0, Q].

export interface LoadSegment {
  sum: number;
  min: number;
  max: number;
}

export const EMPTY_SEGMENT: Readonly<LoadSegment> = Object.freeze({ sum: 0, min: 0, max: 0 });

export function single(q: number): LoadSegment {
  return { sum: q, min: Math.min(0, q), max: Math.max(0, q) };
}

export function concat(a: LoadSegment, b: LoadSegment): LoadSegment {
  return { sum: a.sum + b.sum, min: Math.min(a.min, a.sum + b.min), max: Math.max(a.max, a.sum + b.max) };
}

/**
 * By how many bikes a route with this load profile overflows a truck of capacity Q leaving with
 * `startLoad` (0 when feasible). With a free start the truck picks the best start load, so only the
 * spread max - min matters.
 */
export function loadExcess(min: number, max: number, capacity: number, startLoad: number | 'free'): number {
  if (startLoad === 'free') return Math.max(0, max - min - capacity);
  return Math.max(0, -(startLoad + min)) + Math.max(0, startLoad + max - capacity);
}

/** The start load a feasible route needs: the least one that keeps the load within [0, Q]. */
export function startLoadFor(min: number, startLoad: number | 'free'): number {
  return startLoad === 'free' ? -min : startLoad;
}
