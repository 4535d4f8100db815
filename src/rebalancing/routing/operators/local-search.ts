// Improvement by first-improvement local search over each visit's nearest neighbours, with the
// moves: relocate / or-opt (move the string of 1-3 visits starting at u to after v), swap (exchange
// u and v between routes), 2-opt* (exchange the tails of two routes after u and after v) and, inside
// a route, exchange and 2-opt reversal. Moves are evaluated in O(1) (O(string length)): the load of
// each new route is a concatenation of cached prefix/suffix load segments (inside one route, of
// stretches summarised by range minima and maxima of the prefix loads), its cost comes from cached
// cumulative costs. Moves are scored by the cost evaluator's penalised cost (distance + load-excess
// penalty).
import { Solution, type Route } from '../solution.ts';
import type { OperatorContext } from './context.ts';

export interface LocalSearchParams {
  neighbours: number;
  /** Scans over all visits at most (a cap for the annealing's many quick improvements; Infinity
   *  runs to a local optimum, as the genetic search needs). */
  maxPasses: number;
}

export const DEFAULT_LOCAL_SEARCH: LocalSearchParams = { neighbours: 20, maxPasses: 10 };
const EPS = 1e-9;

// The moves are closures over the search state, made once per context and reused by every call:
// the search calls this thousands of times a second, and making some twenty closures per call (each
// named by the TypeScript loader) cost up to a quarter of the time on small instances.
const searches = new WeakMap<OperatorContext, (sol: Solution, params: LocalSearchParams) => void>();

export function localSearch(sol: Solution, ctx: OperatorContext, params: LocalSearchParams = DEFAULT_LOCAL_SEARCH): void {
  let run = searches.get(ctx);
  if (run === undefined) {
    run = makeLocalSearch(ctx);
    searches.set(ctx, run);
  }
  run(sol, params);
}

function makeLocalSearch(ctx: OperatorContext): (sol: Solution, params: LocalSearchParams) => void {
  const { visits, ce, rng } = ctx;
  const q = visits.q;
  // Set by each call.
  let sol: Solution = Solution.empty(visits);
  let params: LocalSearchParams = DEFAULT_LOCAL_SEARCH;
  let w = ce.loadPenalty;
  const order: number[] = [];

  // Penalised change of a route's excess; Infinity when the weight is infinite and excess grows.
  const excessCost = (newEx: number, oldEx: number): number => (newEx === oldEx ? 0 : w === Infinity ? (newEx > oldEx ? Infinity : -Infinity) : w * (newEx - oldEx));
  const first = (R: Route, k: number): number => (k < R.length ? R.visits[k]! : 0);
  const tail = (R: Route, k: number): number => (k < R.length ? R.distance - R.cum[k + 1]! : 0); // from visit k to the depot
  // Load excess of prefix [0,i) + optional x + suffix [j, len) of another (or the same) route.
  const joinExcess = (P: Route, i: number, x: number | null, S: Route, j: number): number => {
    let sum = P.pSum[i]!;
    let mn = P.pMin[i]!;
    let mx = P.pMax[i]!;
    if (x !== null) {
      sum += x;
      if (sum < mn) mn = sum;
      if (sum > mx) mx = sum;
    }
    const lo = sum + S.sMin[j]!;
    const hi = sum + S.sMax[j]!;
    return ce.loadExcess(lo < mn ? lo : mn, hi > mx ? hi : mx);
  };

  const commit = (...rs: number[]): void => {
    for (const r of rs) {
      sol.routes[r]!.update(q, ce);
      sol.indexRoute(r);
    }
  };

  // Moves inside one route: the cost change comes from the arcs it touches, the new load profile
  // from range minima/maxima of the route's prefix loads (a move rearranges at most five stretches
  // of the route, each summarised in O(1)), so a move is priced in O(1) whatever the route's length;
  // only a move that saves has its new sequence written to a scratch buffer and made.
  const buf = new Int32Array(visits.n);
  let segSum = 0;
  let segMin = 0;
  let segMax = 0;
  const segStart = (): void => {
    segSum = 0;
    segMin = 0;
    segMax = 0;
  };
  // Append the visits at positions [x, y) of R, forwards or backwards.
  const segAdd = (R: Route, x: number, y: number, reversed = false): void => {
    if (y <= x) return;
    const lo = R.rangeMin(x, y);
    const hi = R.rangeMax(x, y);
    let a: number;
    let b: number;
    if (reversed) {
      // Walked backwards from y-1, the prefix loads are pSum[y] - pSum[k] for k from y down to x.
      a = R.pSum[y]! - hi;
      b = R.pSum[y]! - lo;
    } else {
      a = lo - R.pSum[x]!;
      b = hi - R.pSum[x]!;
    }
    if (segSum + a < segMin) segMin = segSum + a;
    if (segSum + b > segMax) segMax = segSum + b;
    segSum += R.pSum[y]! - R.pSum[x]!;
  };
  // Whether an intra-route move of this cost change, whose new profile is in segMin/segMax, saves.
  const intraSaves = (a: number, costDelta: number): boolean => {
    const A = sol.routes[a]!;
    if (A.distance + costDelta > ce.maxRouteCost) return false;
    return costDelta + excessCost(ce.loadExcess(segMin, segMax), A.excess) < -EPS;
  };
  // Make the move whose new sequence the caller wrote to buf.
  const commitIntra = (a: number, len: number): true => {
    sol.mutable(a).visits = Array.from(buf.subarray(0, len));
    commit(a);
    return true;
  };

  // Inside route a: the string [i, i+L) to just after position j (j outside [i-1, i+L); -1: first).
  const relocateIntra = (a: number, i: number, L: number, j: number): boolean => {
    const A = sol.routes[a]!;
    const vis = A.visits;
    const len = vis.length;
    const u = vis[i]!;
    const last = vis[i + L - 1]!;
    const pu = i === 0 ? 0 : vis[i - 1]!;
    const nu = first(A, i + L);
    const pv = j < 0 ? 0 : vis[j]!;
    const nv = first(A, j + 1);
    const dc = ce.arc(pu, nu) - ce.arc(pu, u) - ce.arc(last, nu) + ce.arc(pv, u) + ce.arc(last, nv) - ce.arc(pv, nv);
    if (dc >= -EPS && A.excess === 0) return false;
    segStart();
    if (j < i) {
      segAdd(A, 0, j + 1);
      segAdd(A, i, i + L);
      segAdd(A, j + 1, i);
      segAdd(A, i + L, len);
    } else {
      segAdd(A, 0, i);
      segAdd(A, i + L, j + 1);
      segAdd(A, i, i + L);
      segAdd(A, j + 1, len);
    }
    if (!intraSaves(a, dc)) return false;
    let m = 0;
    if (j < i) {
      for (let k = 0; k <= j; k++) buf[m++] = vis[k]!;
      for (let k = i; k < i + L; k++) buf[m++] = vis[k]!;
      for (let k = j + 1; k < i; k++) buf[m++] = vis[k]!;
      for (let k = i + L; k < len; k++) buf[m++] = vis[k]!;
    } else {
      for (let k = 0; k < i; k++) buf[m++] = vis[k]!;
      for (let k = i + L; k <= j; k++) buf[m++] = vis[k]!;
      for (let k = i; k < i + L; k++) buf[m++] = vis[k]!;
      for (let k = j + 1; k < len; k++) buf[m++] = vis[k]!;
    }
    return commitIntra(a, len);
  };

  // Move the string of L visits starting at u to just after v (or-opt when L > 1).
  // With before = true, to just before v instead (so also to the start of a route).
  const relocate = (u: number, L: number, v: number, before = false): boolean => {
    const a = sol.routeOf[u]!;
    const b = sol.routeOf[v]!;
    const A = sol.routes[a]!;
    const B = sol.routes[b]!;
    const i = sol.posOf[u]!;
    const j = sol.posOf[v]! - (before ? 1 : 0); // the string goes after position j (-1: first)
    if (i + L > A.length) return false;
    if (a === b) {
      if (j >= i - 1 && j < i + L) return false; // v inside the string, or already in place
      return relocateIntra(a, i, L, j);
    }
    const last = A.visits[i + L - 1]!;
    const pu = i === 0 ? 0 : A.visits[i - 1]!;
    const nu = first(A, i + L);
    const pv = j < 0 ? 0 : B.visits[j]!;
    const nv = first(B, j + 1);
    const dA = ce.arc(pu, nu) - ce.arc(pu, u) - ce.arc(last, nu);
    const dB = ce.arc(pv, u) + ce.arc(last, nv) - ce.arc(pv, nv);
    if (B.distance + dB + (A.cum[i + L]! - A.cum[i + 1]!) > ce.maxRouteCost) return false;
    let delta = dA + dB;
    if (delta >= -EPS && A.excess === 0 && B.excess === 0) return false;
    // The string's own load segment, then prefix + string + suffix in B.
    let sum = B.pSum[j + 1]!;
    let mn = B.pMin[j + 1]!;
    let mx = B.pMax[j + 1]!;
    for (let k = i; k < i + L; k++) {
      sum += q[A.visits[k]!]!;
      if (sum < mn) mn = sum;
      if (sum > mx) mx = sum;
    }
    const lo = sum + B.sMin[j + 1]!;
    const hi = sum + B.sMax[j + 1]!;
    const exB = ce.loadExcess(lo < mn ? lo : mn, hi > mx ? hi : mx);
    delta += excessCost(joinExcess(A, i, null, A, i + L), A.excess) + excessCost(exB, B.excess);
    if (!(delta < -EPS)) return false;
    const str = sol.mutable(a).visits.splice(i, L);
    sol.mutable(b).visits.splice(j + 1, 0, ...str);
    commit(a, b);
    if (sol.routes[a]!.length === 0) sol.compact();
    return true;
  };

  // Inside one route: exchange u and v, or reverse the stretch between them (2-opt; with an
  // asymmetric cost the reversed stretch is paid in the other direction).
  const intraExchange = (u: number, v: number): boolean => {
    const a = sol.routeOf[u]!;
    if (a !== sol.routeOf[v]!) return false;
    const A = sol.routes[a]!;
    const vis = A.visits;
    const len = vis.length;
    const lo = Math.min(sol.posOf[u]!, sol.posOf[v]!);
    const hi = Math.max(sol.posOf[u]!, sol.posOf[v]!);
    const x = vis[lo]!;
    const y = vis[hi]!;
    const p = lo === 0 ? 0 : vis[lo - 1]!;
    const n = first(A, hi + 1);
    let dc: number;
    if (hi === lo + 1) dc = ce.arc(p, y) + ce.arc(y, x) + ce.arc(x, n) - ce.arc(p, x) - ce.arc(x, y) - ce.arc(y, n);
    else {
      const nx = vis[lo + 1]!;
      const py = vis[hi - 1]!;
      dc = ce.arc(p, y) + ce.arc(y, nx) + ce.arc(py, x) + ce.arc(x, n) - ce.arc(p, x) - ce.arc(x, nx) - ce.arc(py, y) - ce.arc(y, n);
    }
    if (dc < -EPS || A.excess > 0) {
      segStart();
      segAdd(A, 0, lo);
      segAdd(A, hi, hi + 1);
      segAdd(A, lo + 1, hi);
      segAdd(A, lo, lo + 1);
      segAdd(A, hi + 1, len);
      if (intraSaves(a, dc)) {
        for (let k = 0; k < len; k++) buf[k] = vis[k]!;
        buf[lo] = y;
        buf[hi] = x;
        return commitIntra(a, len);
      }
    }
    if (hi === lo + 1) return false; // the reversal is the exchange
    const inner = A.rcum[hi]! - A.rcum[lo]!; // lo..hi walked backwards
    const dr = ce.arc(p, y) + inner + ce.arc(x, n) - ce.arc(p, x) - (A.cum[hi + 1]! - A.cum[lo + 1]!) - ce.arc(y, n);
    if (dr >= -EPS && A.excess === 0) return false;
    segStart();
    segAdd(A, 0, lo);
    segAdd(A, lo, hi + 1, true);
    segAdd(A, hi + 1, len);
    if (!intraSaves(a, dr)) return false;
    for (let k = 0; k < len; k++) buf[k] = vis[k]!;
    for (let k = lo; k <= hi; k++) buf[k] = vis[hi - (k - lo)]!;
    return commitIntra(a, len);
  };

  // Where u and v sit when they are in two different routes (null when in the same one).
  const pair = (u: number, v: number): { a: number; b: number; A: Route; B: Route; i: number; j: number } | null => {
    const a = sol.routeOf[u]!;
    const b = sol.routeOf[v]!;
    if (a === b) return null;
    return { a, b, A: sol.routes[a]!, B: sol.routes[b]!, i: sol.posOf[u]!, j: sol.posOf[v]! };
  };

  const swap = (u: number, v: number): boolean => {
    const p = pair(u, v);
    if (p === null) return false;
    const { a, b, A, B, i, j } = p;
    const pu = i === 0 ? 0 : A.visits[i - 1]!;
    const nu = first(A, i + 1);
    const pv = j === 0 ? 0 : B.visits[j - 1]!;
    const nv = first(B, j + 1);
    const dA = ce.arc(pu, v) + ce.arc(v, nu) - ce.arc(pu, u) - ce.arc(u, nu);
    const dB = ce.arc(pv, u) + ce.arc(u, nv) - ce.arc(pv, v) - ce.arc(v, nv);
    if (A.distance + dA > ce.maxRouteCost || B.distance + dB > ce.maxRouteCost) return false;
    let delta = dA + dB;
    if (delta >= -EPS && A.excess === 0 && B.excess === 0) return false;
    delta += excessCost(joinExcess(A, i, q[v]!, A, i + 1), A.excess) + excessCost(joinExcess(B, j, q[u]!, B, j + 1), B.excess);
    if (!(delta < -EPS)) return false;
    sol.mutable(a).visits[i] = v;
    sol.mutable(b).visits[j] = u;
    commit(a, b);
    return true;
  };

  // SWAP* (Vidal 2022): exchange u (route A) and v (route B), each going to its best place in the
  // other route rather than to the other's place. The cheapest few places by cost are found with
  // O(1) arc arithmetic; only combinations that save are load-checked, by scanning the new routes.
  const bufB = new Int32Array(visits.n);
  const gapsA = new Float64Array(6); // [cost, gap] x 3, cheapest first
  const gapsB = new Float64Array(6);
  // The 3 cheapest gaps of route R without its visit at position skip for inserting x; gap g means
  // "before the g-th remaining visit" (g = length - 1: at the end).
  const bestGaps = (R: Route, skip: number, x: number, out: Float64Array): void => {
    out.fill(Infinity);
    let prev = 0;
    let g = 0;
    for (let k = 0; k <= R.length; k++) {
      if (k === skip) continue;
      const next = k < R.length ? R.visits[k]! : 0;
      const c = ce.arc(prev, x) + ce.arc(x, next) - ce.arc(prev, next);
      if (c < out[4]!) {
        let t = 4;
        while (t > 0 && c < out[t - 2]!) {
          out[t] = out[t - 2]!;
          out[t + 1] = out[t - 1]!;
          t -= 2;
        }
        out[t] = c;
        out[t + 1] = g;
      }
      g++;
      prev = next;
    }
  };
  // Route R without position skip, with x inserted at gap g, into dst; returns the load excess.
  const fillSwapped = (R: Route, skip: number, x: number, g: number, dst: Int32Array): number => {
    let m = 0;
    let rem = 0;
    let s = 0;
    let mn = 0;
    let mx = 0;
    for (let k = 0; k <= R.length; k++) {
      if (k === skip) continue;
      if (rem === g) {
        dst[m++] = x;
        s += q[x]!;
        if (s < mn) mn = s;
        if (s > mx) mx = s;
      }
      if (k === R.length) break;
      const y = R.visits[k]!;
      dst[m++] = y;
      s += q[y]!;
      if (s < mn) mn = s;
      if (s > mx) mx = s;
      rem++;
    }
    return ce.loadExcess(mn, mx);
  };
  const swapStar = (u: number, v: number): boolean => {
    const p = pair(u, v);
    if (p === null) return false;
    const { a, b, A, B, i, j } = p;
    const remA = ce.arc(i === 0 ? 0 : A.visits[i - 1]!, first(A, i + 1)) - ce.arc(i === 0 ? 0 : A.visits[i - 1]!, u) - ce.arc(u, first(A, i + 1));
    const remB = ce.arc(j === 0 ? 0 : B.visits[j - 1]!, first(B, j + 1)) - ce.arc(j === 0 ? 0 : B.visits[j - 1]!, v) - ce.arc(v, first(B, j + 1));
    bestGaps(A, i, v, gapsA);
    bestGaps(B, j, u, gapsB);
    for (let x = 0; x < 6; x += 2) {
      for (let y = 0; y < 6; y += 2) {
        const dA = remA + gapsA[x]!;
        const dB = remB + gapsB[y]!;
        if (!Number.isFinite(dA + dB)) continue;
        if (A.distance + dA > ce.maxRouteCost || B.distance + dB > ce.maxRouteCost) continue;
        let delta = dA + dB;
        if (delta >= -EPS && A.excess === 0 && B.excess === 0) continue;
        const exA = fillSwapped(A, i, v, gapsA[x + 1]!, buf);
        const exB = fillSwapped(B, j, u, gapsB[y + 1]!, bufB);
        delta += excessCost(exA, A.excess) + excessCost(exB, B.excess);
        if (!(delta < -EPS)) continue;
        const len = A.length;
        const lenB = B.length;
        sol.mutable(a).visits = Array.from(buf.subarray(0, len));
        sol.mutable(b).visits = Array.from(bufB.subarray(0, lenB));
        commit(a, b);
        return true;
      }
    }
    return false;
  };

  // 2-opt*: A becomes A[0..i] + B[j+1..], B becomes B[0..j] + A[i+1..].
  const twoOptStar = (u: number, v: number): boolean => {
    const p = pair(u, v);
    if (p === null) return false;
    const { a, b, A, B, i, j } = p;
    const newA = A.cum[i + 1]! + ce.arc(u, first(B, j + 1)) + tail(B, j + 1);
    const newB = B.cum[j + 1]! + ce.arc(v, first(A, i + 1)) + tail(A, i + 1);
    if (newA > ce.maxRouteCost || newB > ce.maxRouteCost) return false;
    let delta = newA + newB - A.distance - B.distance;
    if (delta >= -EPS && A.excess === 0 && B.excess === 0) return false;
    delta += excessCost(joinExcess(A, i + 1, null, B, j + 1), A.excess) + excessCost(joinExcess(B, j + 1, null, A, i + 1), B.excess);
    if (!(delta < -EPS)) return false;
    const ma = sol.mutable(a);
    const mb = sol.mutable(b);
    const tailA = ma.visits.slice(i + 1);
    const tailB = mb.visits.slice(j + 1);
    ma.visits = ma.visits.slice(0, i + 1).concat(tailB);
    mb.visits = mb.visits.slice(0, j + 1).concat(tailA);
    commit(a, b);
    return true;
  };

  // Split route a in two at position i: A[0..i) and A[i..) (2-opt* against an empty route). Worth it
  // when the depot is on the way, or when one truck cannot carry the load profile of the whole route.
  const split = (a: number): boolean => {
    if (sol.routes.length >= visits.instance.vehicles) return false;
    const A = sol.routes[a]!;
    for (let i = 1; i < A.length; i++) {
      const head = A.cum[i]! + ce.arc(A.visits[i - 1]!, 0);
      const rest = ce.arc(0, A.visits[i]!) + tail(A, i);
      if (head > ce.maxRouteCost || rest > ce.maxRouteCost) continue;
      let delta = head + rest - A.distance;
      if (delta >= -EPS && A.excess === 0) continue;
      delta += excessCost(ce.loadExcess(A.pMin[i]!, A.pMax[i]!) + ce.loadExcess(A.sMin[i]!, A.sMax[i]!), A.excess);
      if (!(delta < -EPS)) continue;
      const restVisits = sol.mutable(a).visits.splice(i);
      commit(a);
      const route = sol.newRoute(restVisits);
      sol.routes.push(route);
      commit(sol.routes.length - 1);
      return true;
    }
    return false;
  };

  // Join route b onto the end of route a (A + B), saving a return to and a departure from the depot.
  const join = (a: number, b: number): boolean => {
    const A = sol.routes[a]!;
    const B = sol.routes[b]!;
    const la = A.visits[A.length - 1]!;
    const fb = B.visits[0]!;
    const joined = A.distance - ce.arc(la, 0) + ce.arc(la, fb) + B.distance - ce.arc(0, fb);
    if (joined > ce.maxRouteCost) return false;
    const delta = joined - A.distance - B.distance;
    if (!(delta < -EPS)) return false;
    // Never trade a depot detour for load excess: with penalised excess, joins of routes that do not
    // fit one truck would otherwise merge the fleet into a few overflowing routes.
    if (joinExcess(A, A.length, null, B, 0) > 0) return false;
    sol.mutable(a).visits.push(...B.visits);
    sol.mutable(b).visits = [];
    commit(a, b);
    sol.compact();
    return true;
  };

  const routeMoves = (): boolean => {
    for (let a = 0; a < sol.routes.length; a++) if (split(a)) return true;
    for (let a = 0; a < sol.routes.length; a++) for (let b = 0; b < sol.routes.length; b++) if (a !== b && join(a, b)) return true;
    return false;
  };

  // Each routed visit u against its nearest routed neighbours v: the first move that improves ends
  // u's turn. True when some move improved.
  const scanNeighbours = (tryPair: (u: number, v: number) => boolean): boolean => {
    let any = false;
    for (const u of order) {
      if (sol.routeOf[u]! < 0) continue;
      const nb = visits.neighbours[u]!;
      const k = Math.min(params.neighbours, nb.length);
      for (let t = 0; t < k; t++) {
        const v = nb[t]!;
        if (sol.routeOf[v]! >= 0 && tryPair(u, v)) {
          any = true;
          break;
        }
      }
    }
    return any;
  };

  const cheapMoves = (u: number, v: number): boolean =>
    relocate(u, 1, v) || relocate(u, 2, v) || relocate(u, 3, v) || (sol.posOf[v] === 0 && (relocate(u, 1, v, true) || relocate(u, 2, v, true) || relocate(u, 3, v, true))) || swap(u, v) || twoOptStar(u, v) || intraExchange(u, v) || (sol.routeOf[u] === sol.routeOf[v] && (relocate(u, 4, v) || relocate(u, 5, v) || relocate(u, 6, v)));

  return (s: Solution, p: LocalSearchParams): void => {
    sol = s;
    params = p;
    w = ce.loadPenalty;
    // Start from the visits of the routes this solution changed (routes shared copy-on-write with
    // its parent are as the parent left them), or from every visit for a fresh solution.
    order.length = 0;
    const changed = sol.routes.filter((r) => r.owner === sol.id);
    for (const r of changed.length > 0 && changed.length < sol.routes.length ? changed : sol.routes) for (const v of r.visits) order.push(v);
    rng.shuffle(order);

    let improved = true;
    let passes = 0;
    while (improved && passes < params.maxPasses) {
      improved = false;
      passes++;
      while (routeMoves()) improved = true;
      if (scanNeighbours(cheapMoves)) improved = true;
      // SWAP* costs O(route length) per pair: tried only once the cheaper moves are exhausted.
      if (!improved && sol.routes.length > 1 && scanNeighbours(swapStar)) improved = true;
    }
  };
}
