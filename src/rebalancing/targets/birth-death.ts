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
//   - both reflecting    -> expected failed rentals (reward mu at 0) and returns (reward lambda at C)
import { MAX_UNIFORM_MEAN, poissonWeightsInto, WEIGHT_BUFFER } from './poisson-weights.ts';

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
    failedRentals: new Float64Array(n),
    failedReturns: new Float64Array(n),
  };
}

// Four vector sequences are propagated through each (sub)step; a workspace avoids allocating.
// (P(empty or full) would be a fifth, with both ends absorbing; it is left out because it costs a
// quarter more time and P(empty) + P(full) bounds it from above, which is what the search needs.)
const SEQ = 4;
const S_EMPTY = 0, S_FULL = 1, S_RENT = 2, S_RET = 3;

export class Workspace {
  size = 0;
  value: Float64Array[] = [];
  z: Float64Array[] = [];
  tmp: Float64Array[] = [];
  /** Poisson weights of the current piece. */
  pmf = new Float64Array(WEIGHT_BUFFER);
  tail = new Float64Array(WEIGHT_BUFFER);

  ensure(capacity: number): void {
    if (capacity + 1 <= this.size) return;
    this.size = Math.max(capacity + 1, this.size * 2);
    const mk = () => Array.from({ length: SEQ }, () => new Float64Array(this.size));
    this.value = mk(); this.z = mk(); this.tmp = mk();
  }
}

/**
 * One uniformized piece for the four sequences at once, by Horner's scheme: with
 * y_j = pmf_j x + (tail_j / L) r, sum_j P^j y_j = y_0 + P(y_1 + P(y_2 + ...)), so each jump costs
 * one fused O(c) pass and the reward integral rides along. The rewards are single entries: mu at 0
 * for failed rentals, lambda at c for failed returns (used as mu/L and lambda/L, so that a tiny L
 * cannot overflow). The four sequences share one loop (they differ only at the ends). The result
 * is written back into ws.value.
 */
function hornerPiece(ws: Workspace, c: number, up: number, down: number, terms: number): void {
  const { pmf, tail } = ws;
  const [xe, xf, xr, xt] = ws.value as [Float64Array, Float64Array, Float64Array, Float64Array];
  let [se, sf, sr, st] = ws.z as [Float64Array, Float64Array, Float64Array, Float64Array];
  let [de, df, dr, dt] = ws.tmp as [Float64Array, Float64Array, Float64Array, Float64Array];
  const J = terms - 1;
  let pj = pmf[J]!;
  for (let n = 0; n <= c; n++) {
    se[n] = pj * xe[n]!; sf[n] = pj * xf[n]!; sr[n] = pj * xr[n]!; st[n] = pj * xt[n]!;
  }
  sr[0]! += tail[J]! * down;
  st[c]! += tail[J]! * up;
  for (let j = J - 1; j >= 0; j--) {
    pj = pmf[j]!;
    if (c === 0) {
      de[0] = se[0]! + pj * xe[0]!; df[0] = sf[0]! + pj * xf[0]!;
      dr[0] = sr[0]! + pj * xr[0]!; dt[0] = st[0]! + pj * xt[0]!;
    } else {
      // n = 0: empty absorbs in the empty chain; elsewhere a pickup fails (stays) and a return moves up.
      de[0] = se[0]! + pj * xe[0]!;
      df[0] = down * sf[0]! + up * sf[1]! + pj * xf[0]!;
      dr[0] = down * sr[0]! + up * sr[1]! + pj * xr[0]!;
      dt[0] = down * st[0]! + up * st[1]! + pj * xt[0]!;
      for (let n = 1; n < c; n++) {
        de[n] = down * se[n - 1]! + up * se[n + 1]! + pj * xe[n]!;
        df[n] = down * sf[n - 1]! + up * sf[n + 1]! + pj * xf[n]!;
        dr[n] = down * sr[n - 1]! + up * sr[n + 1]! + pj * xr[n]!;
        dt[n] = down * st[n - 1]! + up * st[n + 1]! + pj * xt[n]!;
      }
      // n = c: full absorbs in the full chain; elsewhere a return fails (stays).
      de[c] = down * se[c - 1]! + up * se[c]! + pj * xe[c]!;
      df[c] = sf[c]! + pj * xf[c]!;
      dr[c] = down * sr[c - 1]! + up * sr[c]! + pj * xr[c]!;
      dt[c] = down * st[c - 1]! + up * st[c]! + pj * xt[c]!;
    }
    dr[0]! += tail[j]! * down;
    dt[c]! += tail[j]! * up;
    let t = se; se = de; de = t;
    t = sf; sf = df; df = t;
    t = sr; sr = dr; dr = t;
    t = st; st = dt; dt = t;
  }
  for (let n = 0; n <= c; n++) {
    xe[n] = se[n]!; xf[n] = sf[n]!; xr[n] = sr[n]!; xt[n] = st[n]!;
  }
}

/**
 * Adds weight * (the four curves) for the given rates, pickups scaled by gPick and returns by
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
  const { value } = ws;
  // Terminal values at T: indicators for the hitting chains, zero accumulated reward.
  for (let s = 0; s < SEQ; s++) value[s]!.fill(0, 0, c + 1);
  value[S_EMPTY]![0] = 1;
  value[S_FULL]![c] = 1;

  const steps = rates.pickups.length;
  for (let k = steps - 1; k >= 0; ) {
    const mu = rates.pickups[k]! * gPick;
    const lambda = rates.returns[k]! * gRet;
    if (!(mu >= 0 && lambda >= 0)) throw new RangeError(`rates must be >= 0 (step ${k}: pickups ${mu}, returns ${lambda})`);
    // Consecutive steps with the same rates (15-minute steps of one forecast hour) form one
    // generator: exp(Q dt)^m = exp(Q m dt), so they are computed as one span (exact, fewer jumps).
    let first = k;
    while (first > 0 && rates.pickups[first - 1]! * gPick === mu && rates.returns[first - 1]! * gRet === lambda) first--;
    const span = (k - first + 1) * rates.stepHours;
    k = first - 1;
    const L = mu + lambda;
    if (L === 0) continue; // nothing happens: exp(0) = I and no reward accrues
    const pieces = Math.max(1, Math.ceil((L * span) / MAX_UNIFORM_MEAN));
    const terms = poissonWeightsInto((L * span) / pieces, ws.pmf, ws.tail);
    const up = lambda / L, down = mu / L;
    for (let piece = 0; piece < pieces; piece++) {
      hornerPiece(ws, c, up, down, terms);
    }
  }
  for (let n = 0; n <= c; n++) {
    out.pEmpty[n]! += weight * value[S_EMPTY]![n]!;
    out.pFull[n]! += weight * value[S_FULL]![n]!;
    out.failedRentals[n]! += weight * value[S_RENT]![n]!;
    out.failedReturns[n]! += weight * value[S_RET]![n]!;
  }
}

/** The four curves for fixed (non-random) rates. */
export function transientCurves(capacity: number, rates: HorizonRates, ws?: Workspace): TransientCurves {
  const out = emptyCurves(capacity);
  accumulateTransient(capacity, rates, 1, 1, 1, out, ws);
  return out;
}
