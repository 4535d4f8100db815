// The station as a time-varying birth-death process on 0..capacity, computed exactly.
//
// State n = bikes at the station. Returns (births) arrive at rate lambda(t) and add a bike unless
// the station is full; pickups (deaths) arrive at rate mu(t) and take one unless it is empty. Rates
// are piecewise constant over the horizon's steps (15 minutes from hourly forecasts). A pickup that
// arrives at an empty station is a failed rental; a return at a full station is a failed return.
//
// Everything is wanted as a function of the START inventory, for every start at once, so the
// computation runs BACKWARD (Kolmogorov backward equation): v(n) = E_n[f(X_T)] is the terminal
// indicator propagated by exp(Q_k * dt_k) from the last step to the first. For a step with constant
// rates, exp(Q dt) v is computed by uniformization: with L = lambda + mu and P = I + Q/L,
//     exp(Q dt) v = sum_j Poisson(j; L dt) P^j v,
// and an accumulated reward r (failures per hour in each state) adds
//     int_0^dt exp(Q s) r ds = (1/L) sum_j P(Poisson(L dt) > j) P^j r.
// The generator is tridiagonal, so each P^j v is one O(capacity) pass. This is hand-written (no
// library does a tridiagonal uniformization with absorbing and reward states); exact up to the
// Poisson truncation (TAIL_EPSILON) and rounding, never sampled.
//
// Four chains share the rates and differ only at the boundaries:
//   - 0 absorbing        -> P(hit empty by T)
//   - capacity absorbing -> P(hit full by T)
//   - both absorbing     -> P(hit empty or full by T)
//   - both reflecting    -> expected failed rentals (reward mu at 0) and returns (reward lambda at C)
import { MAX_UNIFORM_MEAN, poissonWeights, type PoissonWeights } from './poisson-weights.ts';

/** Rates over a horizon: step k lasts stepHours and has constant rates (events per hour). */
export interface HorizonRates {
  stepHours: number;
  /** mu: pickups (rentals) demanded per hour, per step. */
  pickups: Float64Array;
  /** lambda: returns per hour, per step. */
  returns: Float64Array;
}

/** Per start inventory n = 0..capacity (arrays of length capacity + 1). */
export interface TransientCurves {
  capacity: number;
  /** P(the station is empty at some moment of the horizon). */
  pEmpty: Float64Array;
  /** P(the station is full at some moment of the horizon). */
  pFull: Float64Array;
  /** P(empty or full at some moment). */
  pEither: Float64Array;
  /** Expected pickups demanded while empty. */
  failedRentals: Float64Array;
  /** Expected returns arriving while full. */
  failedReturns: Float64Array;
}

export function emptyCurves(capacity: number): TransientCurves {
  const n = capacity + 1;
  return {
    capacity,
    pEmpty: new Float64Array(n),
    pFull: new Float64Array(n),
    pEither: new Float64Array(n),
    failedRentals: new Float64Array(n),
    failedReturns: new Float64Array(n),
  };
}

// Seven vector sequences are propagated through each (sub)step; a workspace avoids allocating.
const SEQ = 7;
const S_EMPTY = 0, S_FULL = 1, S_EITHER = 2, S_RENT = 3, S_RENT_R = 4, S_RET = 5, S_RET_R = 6;
const CARRIED = [S_EMPTY, S_FULL, S_EITHER, S_RENT, S_RET] as const;
const HITTING = [S_EMPTY, S_FULL, S_EITHER] as const;
const ABSORB_0 = [true, false, true, false, false, false, false];
const ABSORB_C = [false, true, true, false, false, false, false];

export class Workspace {
  size = 0;
  value: Float64Array[] = [];
  cur: Float64Array[] = [];
  next: Float64Array[] = [];
  acc: Float64Array[] = [];
  private cache = new Map<number, PoissonWeights>();

  ensure(capacity: number): void {
    if (capacity + 1 <= this.size) return;
    this.size = Math.max(capacity + 1, this.size * 2);
    const mk = () => Array.from({ length: SEQ }, () => new Float64Array(this.size));
    this.value = mk(); this.cur = mk(); this.next = mk(); this.acc = mk();
  }

  /** Poisson weights memoised by mean (rates repeat across steps and stations). */
  weights(a: number): PoissonWeights {
    let w = this.cache.get(a);
    if (!w) {
      if (this.cache.size > 50_000) this.cache.clear();
      w = poissonWeights(a);
      this.cache.set(a, w);
    }
    return w;
  }
}

/** dst = P src for the uniformized chain on 0..c (up = lambda/L, down = mu/L). */
function applyP(src: Float64Array, dst: Float64Array, c: number, up: number, down: number, absorb0: boolean, absorbC: boolean): void {
  if (c === 0) { dst[0] = src[0]!; return; }
  // n = 0: a pickup fails (stays), a return moves up.
  dst[0] = absorb0 ? src[0]! : down * src[0]! + up * src[1]!;
  for (let n = 1; n < c; n++) dst[n] = down * src[n - 1]! + up * src[n + 1]!;
  dst[c] = absorbC ? src[c]! : down * src[c - 1]! + up * src[c]!;
}

/**
 * Adds weight * (the five curves) for the given rates, pickups scaled by gPick and returns by
 * gRet, into `out`. Called once per point of the overdispersion mixture.
 */
export function accumulateTransient(
  capacity: number,
  rates: HorizonRates,
  gPick: number,
  gRet: number,
  weight: number,
  out: TransientCurves,
  ws: Workspace = new Workspace(),
): void {
  if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`capacity must be an integer >= 0, got ${capacity}`);
  const c = capacity;
  ws.ensure(c);
  const { value, cur, next, acc } = ws;
  // Terminal values at T: indicators for the hitting chains, zero accumulated reward.
  for (let s = 0; s < SEQ; s++) value[s]!.fill(0, 0, c + 1);
  value[S_EMPTY]![0] = 1;
  value[S_FULL]![c] = 1;
  value[S_EITHER]![0] = 1;
  value[S_EITHER]![c] = 1;

  for (let k = rates.pickups.length - 1; k >= 0; k--) {
    const mu = rates.pickups[k]! * gPick;
    const lambda = rates.returns[k]! * gRet;
    if (!(mu >= 0 && lambda >= 0)) throw new RangeError(`rates must be >= 0 (step ${k}: pickups ${mu}, returns ${lambda})`);
    const L = mu + lambda;
    if (L === 0) continue; // nothing happens: exp(0) = I and no reward accrues
    const pieces = Math.max(1, Math.ceil((L * rates.stepHours) / MAX_UNIFORM_MEAN));
    const dt = rates.stepHours / pieces;
    const w = ws.weights(L * dt);
    const up = lambda / L, down = mu / L;
    for (let piece = 0; piece < pieces; piece++) {
      // The reward vectors restart each piece: mu per hour in state 0, lambda per hour in state c.
      cur[S_RENT_R]!.fill(0, 0, c + 1); cur[S_RENT_R]![0] = mu;
      cur[S_RET_R]!.fill(0, 0, c + 1); cur[S_RET_R]![c] = lambda;
      for (const s of CARRIED) cur[s]!.set(value[s]!.subarray(0, c + 1));
      for (let s = 0; s < SEQ; s++) acc[s]!.fill(0, 0, c + 1);
      for (let j = 0; j < w.terms; j++) {
        const pj = w.pmf[j]!;
        const tj = w.tail[j]! / L;
        for (let s = 0; s < SEQ; s++) {
          const a = acc[s]!, x = cur[s]!;
          const coef = s === S_RENT_R || s === S_RET_R ? tj : pj;
          for (let n = 0; n <= c; n++) a[n]! += coef * x[n]!;
        }
        if (j + 1 < w.terms) {
          for (let s = 0; s < SEQ; s++) {
            applyP(cur[s]!, next[s]!, c, up, down, ABSORB_0[s]!, ABSORB_C[s]!);
            const t = cur[s]!; cur[s] = next[s]!; next[s] = t;
          }
        }
      }
      for (const s of HITTING) value[s]!.set(acc[s]!.subarray(0, c + 1));
      // Expected failures: what the rest of the horizon brings plus what this piece accrues.
      const vr = value[S_RENT]!, vt = value[S_RET]!;
      for (let n = 0; n <= c; n++) {
        vr[n] = acc[S_RENT]![n]! + acc[S_RENT_R]![n]!;
        vt[n] = acc[S_RET]![n]! + acc[S_RET_R]![n]!;
      }
    }
  }
  for (let n = 0; n <= c; n++) {
    out.pEmpty[n]! += weight * value[S_EMPTY]![n]!;
    out.pFull[n]! += weight * value[S_FULL]![n]!;
    out.pEither[n]! += weight * value[S_EITHER]![n]!;
    out.failedRentals[n]! += weight * value[S_RENT]![n]!;
    out.failedReturns[n]! += weight * value[S_RET]![n]!;
  }
}

/** The five curves for fixed (non-random) rates. */
export function transientCurves(capacity: number, rates: HorizonRates, ws?: Workspace): TransientCurves {
  const out = emptyCurves(capacity);
  accumulateTransient(capacity, rates, 1, 1, 1, out, ws);
  return out;
}
