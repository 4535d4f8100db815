// The quantity decision for one truck's route with its visit order fixed, solved exactly by dynamic
// programming over the truck's load (0..Q) stop by stop: at each stop any move q keeping the load in
// [0, Q] and the station's bikes in [0, upper], and allowed by the minimum move, is tried. The shift limit couples the stops through
// handling time (seconds per bike moved); it is priced by a Lagrange multiplier mu (failures per
// second of handling) raised by bisection until the route fits its shift. With the shift slack, the
// answer is the exact optimum for the order; with it binding, the best plan found along the
// multiplier path (a Lagrangian heuristic: it may leave a little of the shift unused).
import { allowedMove, gainOf, routeTiming, upperBikes, type PlanProblem, type TruckRoute } from './prize-instance.ts';

/** Tie-breaker: of equal gains prefer moving fewer bikes (no pointless handling). */
const EPS_MU = 1e-9;

export interface QuantityResult {
  qty: number[];
  gain: number;
  endS: number;
  feasible: boolean;
}

/** Best quantities for the order `visits` at handling price mu (no shift check). */
export function quantitiesAt(p: PlanProblem, truck: number, visits: readonly number[], mu: number): { qty: number[]; gain: number } {
  const t = p.trucks[truck]!;
  const Q = t.capacity;
  const n = visits.length;
  const NEG = -Infinity;
  let val = new Float64Array(Q + 1).fill(NEG);
  val[t.startLoad] = 0;
  // choice[k * (Q + 1) + L] = q taken at stop k to reach load L after it.
  const choice = new Int32Array(n * (Q + 1));
  const price = mu * p.handlingS;
  for (let k = 0; k < n; k++) {
    const s = p.stations[visits[k]!]!;
    const next = new Float64Array(Q + 1).fill(NEG);
    const qMax = s.bikes; // collect at most what is there
    const qMin = s.bikes - upperBikes(s); // drop at most up to the station's upper bound
    // Gain of each q once per stop, not once per load.
    const gains = new Float64Array(qMax - qMin + 1);
    for (let q = qMin; q <= qMax; q++) gains[q - qMin] = allowedMove(s, q, p.minMove) ? gainOf(s, q) - price * Math.abs(q) : NEG;
    for (let L = 0; L <= Q; L++) {
      const v = val[L]!;
      if (v === NEG) continue;
      const lo = Math.max(qMin, -L);
      const hi = Math.min(qMax, Q - L);
      for (let q = lo; q <= hi; q++) {
        const gq = gains[q - qMin]!;
        if (gq === NEG) continue;
        const w = v + gq;
        const L2 = L + q;
        if (w > next[L2]! + 1e-12 || (next[L2] === NEG)) {
          next[L2] = w;
          choice[k * (Q + 1) + L2] = q;
        }
      }
    }
    val = next;
  }
  let best = 0;
  for (let L = 1; L <= Q; L++) if (val[L]! > val[best]!) best = L;
  const qty = new Array<number>(n).fill(0);
  let L = best;
  for (let k = n - 1; k >= 0; k--) {
    const q = choice[k * (Q + 1) + L]!;
    qty[k] = q;
    L -= q;
  }
  let gain = 0;
  visits.forEach((v, k) => (gain += gainOf(p.stations[v]!, qty[k]!)));
  return { qty, gain };
}

/**
 * Best quantities for the order that fit the truck's shift. `fallback`, when given, is a feasible
 * set of quantities for the same order (e.g. the route before re-optimising): the answer is never
 * worse than it.
 */
export function optimiseQuantities(p: PlanProblem, truck: number, visits: readonly number[], fallback?: readonly number[]): QuantityResult {
  const shift = p.trucks[truck]!.shiftS;
  const evalQ = (qty: number[], gain: number): QuantityResult => {
    const endS = routeTiming(p, { truck, visits: visits as number[], qty }).endS;
    return { qty, gain, endS, feasible: endS <= shift + 1e-6 };
  };
  let best: QuantityResult | null = null;
  const consider = (r: QuantityResult) => {
    if (r.feasible && (best === null || r.gain > best.gain + 1e-12)) best = r;
  };
  if (fallback) {
    let g = 0;
    visits.forEach((v, k) => (g += gainOf(p.stations[v]!, fallback[k]!)));
    consider(evalQ([...fallback], g));
  }
  const first = quantitiesAt(p, truck, visits, EPS_MU);
  const r0 = evalQ(first.qty, first.gain);
  if (r0.feasible) {
    consider(r0);
    return best!;
  }
  // Even moving nothing must fit: otherwise the order itself is too long.
  const zero = evalQ(new Array<number>(visits.length).fill(0), 0);
  if (!zero.feasible) return best ?? { ...r0, feasible: false };
  consider(zero);
  // The largest useful price: no single bike is worth more than the largest one-bike gain.
  let hi = 0;
  for (const v of visits) {
    const s = p.stations[v]!;
    hi = Math.max(hi, Math.abs(gainOf(s, 1)), Math.abs(gainOf(s, -1)));
  }
  hi = hi / Math.max(p.handlingS, 1e-9) + 1e-9;
  let lo = EPS_MU;
  for (let it = 0; it < 14; it++) {
    const mu = (lo + hi) / 2;
    const q = quantitiesAt(p, truck, visits, mu);
    const r = evalQ(q.qty, q.gain);
    if (r.feasible) {
      consider(r);
      hi = mu;
    } else lo = mu;
  }
  return best!;
}
