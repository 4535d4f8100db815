// The routing engine's prize-collecting form (issue 18 §2): the operational planner's search. Where
// the Dell'Amico form (solve.ts) must move every station's whole demand at least travel cost, here
// every quantity is a decision priced by a failure curve (the prize of moving k bikes at a station:
// the expected failures it avoids, prize-instance.ts), most stations are left alone, and time
// (driving, a fixed time per stop, handling per bike, per-truck shifts, starts, loads and
// capacities, a stop already being driven to kept first) is the binding resource. It is built from
// the engine's parts: the prize instance and its route timing and objective (prize-instance.ts), the
// exact quantity evaluation of a route (prize-quantities.ts, by dynamic programming over the load),
// load bounds per insertion position from prefix/suffix load extremes (the engine's load segments),
// ruin (string removal around a seed) and recreate (profit insertion with pairs, the best few
// re-evaluated exactly), the engine's record-to-record acceptance, stopping criteria and seeded
// generator, the engine's route order operator (operators/route-order.ts: its local search and
// annealing on one truck's stops) and an independent checker (prize-checker.ts) that every result
// passes before it is returned. A warm start (the previous plan's remaining stops) is where the
// search begins instead of an empty plan.
import { RecordToRecord } from './accept/record-to-record.ts';
import { engineOrder } from './operators/route-order.ts';
import { checkPrizeRoutes } from './prize-checker.ts';
import { allowedMove, gainOf, upperBikes, type PlanProblem, type TruckRoute } from './prize-instance.ts';
import { optimiseQuantities } from './prize-quantities.ts';
import { Rng } from './rng.ts';
import { FirstOf } from './stop/first-of.ts';
import { MaxIterations } from './stop/max-iterations.ts';
import { MaxRuntime } from './stop/max-runtime.ts';

export interface PrizeSolveOptions {
  seed: number;
  /** Wall-clock budget in seconds (construction included). */
  timeLimitS: number;
  /** Stop after this many ruin-and-recreate iterations (for reproducible runs); default unlimited. */
  maxIterations?: number;
  /** Stations whose best possible fix is worth less than this (expected failures) are not visited. */
  minGain?: number;
  /** Only these stations may be visited (a zone); all when absent. */
  allowed?: Uint8Array;
  /**
   * A warm start: routes to begin from (e.g. the previous plan's remaining stops). Their orders are
   * kept where they fit; the quantities are re-decided; more stations are then inserted.
   */
  initial?: readonly TruckRoute[];
  /**
   * Put the routes in the engine's order (operators/route-order.ts: the engine's own search on each
   * truck's route, its checker validating the result) after the construction, whenever the search
   * finds a new best, and at the end; the time a shorter order frees is filled by more insertions.
   */
  orderRoutes?: boolean;
  /** Clock in ms for the time limit (default performance.now; a benchmark on a shared machine may pass CPU time). */
  clock?: () => number;
}

export interface PrizeSolveResult {
  routes: TruckRoute[];
  iterations: number;
  seconds: number;
  /** Objective (failures + driving weight) after construction and at the end. */
  constructed: number;
  constructionSeconds: number;
  candidates: number;
}

interface RS {
  truck: number;
  visits: number[];
  qty: number[];
  /** Load bounds for an insertion before position p: max/min of the loads from p on (p = 0..n). */
  sufMax: Int32Array;
  sufMin: Int32Array;
  /** Load before position p. */
  before: Int32Array;
  endS: number;
  driveS: number;
  gain: number;
}

const NO_POS = -1;
/** Unrouted candidates offered to one ruin-and-recreate iteration: the nearest to its seed. */
const LOCAL_POOL = 300;
/** Pairs are tried at this many of the cheapest positions for the station alone (the hot loop). */
const PAIR_POSITIONS = 2;
/** The engine's iterations per route order (operators/route-order.ts): on the Seoul bench's routes of 8-21
 *  stops, 200 found the same orders as 1,000 and 3,000. */
const ENGINE_ITERATIONS = 200;
/** The final ordering's time is estimated from one route ordered (by local search) after the
 *  construction, times the routes, times this margin (for the insertions into the time it frees). */
const ENGINE_RESERVE_MARGIN = 2;
/** The most of the budget kept for the final ordering (one slow measurement on a loaded machine
 *  reserved 40% of a Bay Wheels budget and cost 6 expected failures). */
const ENGINE_RESERVE_MAX = 0.1;

export function solvePrize(problem: PlanProblem, opts: PrizeSolveOptions): PrizeSolveResult {
  const now = opts.clock ?? (() => performance.now());
  const started = now();
  const elapsed = () => (now() - started) / 1000;
  // The engine's stopping criteria and acceptance (src/rebalancing/routing/stop, accept). The clock
  // runs from here: the construction counts against the limit. Progress (the acceptance band's
  // schedule) is by iterations when an iteration budget is given, so a seeded run is reproducible.
  const runtime = new MaxRuntime(opts.timeLimitS * 1000, now);
  const iterations = new MaxIterations(opts.maxIterations ?? Infinity);
  const stop = new FirstOf(runtime, iterations);
  const progress = (it: number) => (opts.maxIterations !== undefined && opts.maxIterations !== Infinity ? iterations.progress(it) : runtime.progress());
  // The same band warm or cold: a narrower one for warm starts (0.0005) did worse on the Bay Wheels
  // re-plan (bench/replan.ts, 3 seeds: mean objective 44.69 against 44.51).
  const acceptance = new RecordToRecord(0.002);
  const rng = new Rng(opts.seed);
  const rand = () => rng.next();
  const S = problem.stations.length;
  const R = problem.trucks.length;
  const Qmax = Math.max(...problem.trucks.map((t) => t.capacity));
  const minGain = opts.minGain ?? 1e-3;
  const w = problem.driveWeightPerHour / 3600;
  const h = problem.handlingS;
  const stopS = problem.stopS;
  const minMove = problem.minMove;

  // A station a truck is already driving to (its start, when that is a station) is that truck's
  // first stop or no stop: no other truck and no later position of its own route may take it.
  const pinnedBy = new Int32Array(S).fill(-1);
  problem.trucks.forEach((t, i) => { if (t.start < S) pinnedBy[t.start] = i; });
  // Candidates: stations some truck could improve by at least minGain.
  const cand: number[] = [];
  const bestC = new Float64Array(S * (Qmax + 1));
  const argC = new Int16Array(S * (Qmax + 1));
  const bestD = new Float64Array(S * (Qmax + 1));
  const argD = new Int16Array(S * (Qmax + 1));
  for (let s = 0; s < S; s++) {
    const st = problem.stations[s]!;
    let bc = 0, ac = 0, bd = 0, ad = 0;
    for (let k = 0; k <= Qmax; k++) {
      if (k > 0 && k <= st.bikes && allowedMove(st, k, minMove)) {
        const g = gainOf(st, k);
        if (g > bc + 1e-12) { bc = g; ac = k; }
      }
      if (k > 0 && st.bikes + k <= upperBikes(st) && allowedMove(st, -k, minMove)) {
        const g = gainOf(st, -k);
        if (g > bd + 1e-12) { bd = g; ad = k; }
      }
      bestC[s * (Qmax + 1) + k] = bc; argC[s * (Qmax + 1) + k] = ac;
      bestD[s * (Qmax + 1) + k] = bd; argD[s * (Qmax + 1) + k] = ad;
    }
    if (Math.max(bc, bd) >= minGain && (!opts.allowed || opts.allowed[s])) cand.push(s);
  }
  // Travel times of every pair of places, computed once (the insertion loop reads them hundreds of
  // millions of times; Seoul's ~3,100 places take 79 MB). Every station, not only candidates: a pair
  // may take bikes from a station that needs no truck itself (a donor), when what they do at the
  // other end is worth more than the donor loses.
  const N = problem.travel.n;
  const D = new Float64Array(N * N);
  for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) D[a * N + b] = problem.travel.seconds(a, b);
  const p: PlanProblem = { ...problem, travel: { n: N, source: problem.travel.source, seconds: (a, b) => D[a * N + b]! } };
  const T = function T(a: number, b: number) { return D[a * N + b]!; };

  // A truck that starts empty cannot drop, and one collect alone rarely pays for the drive: single
  // insertions would never start such a route. So each candidate also knows a few stations nearby
  // that can do the opposite move (other candidates, and donors or takers that need no truck
  // themselves), and an insertion may bring one along (collect first, then drop).
  const PAIR_NEAR = 6;
  const DONOR_NEAR = 3;
  const isCollect = new Uint8Array(S);
  const isCand = new Uint8Array(S);
  for (const s of cand) {
    isCand[s] = 1;
    isCollect[s] = bestC[s * (Qmax + 1) + Qmax]! >= bestD[s * (Qmax + 1) + Qmax]! ? 1 : 0;
  }
  const partners = new Map<number, Int32Array>();
  const nearest = function nearest(list: { o: number; d: number }[], K: number, o: number, d: number) {
    if (list.length < K) { list.push({ o, d }); list.sort((a, b) => a.d - b.d); }
    else if (d < list[K - 1]!.d) { list[K - 1] = { o, d }; list.sort((a, b) => a.d - b.d); }
  };
  for (const s of cand) {
    const near: { o: number; d: number }[] = [];
    const donors: { o: number; d: number }[] = [];
    for (let o = 0; o < S; o++) {
      if (o === s || pinnedBy[o]! >= 0 || (opts.allowed && !opts.allowed[o])) continue;
      const so = p.stations[o]!;
      const d = isCollect[s] ? T(s, o) : T(o, s);
      if (isCand[o] && isCollect[o] !== isCollect[s]) nearest(near, PAIR_NEAR, o, d);
      else if (isCollect[s] ? so.bikes < upperBikes(so) : so.bikes > 0) nearest(donors, DONOR_NEAR, o, d);
    }
    partners.set(s, Int32Array.from([...near, ...donors], (x) => x.o));
  }

  const refresh = function refresh(r: RS): RS {
    const t = p.trucks[r.truck]!;
    const n = r.visits.length;
    const before = new Int32Array(n + 1);
    before[0] = t.startLoad;
    for (let k = 0; k < n; k++) before[k + 1] = before[k]! + r.qty[k]!;
    r.before = before;
    r.sufMax = new Int32Array(n + 1);
    r.sufMin = new Int32Array(n + 1);
    r.sufMax[n] = before[n]!;
    r.sufMin[n] = before[n]!;
    for (let k = n - 1; k >= 0; k--) {
      r.sufMax[k] = Math.max(before[k]!, r.sufMax[k + 1]!);
      r.sufMin[k] = Math.min(before[k]!, r.sufMin[k + 1]!);
    }
    let place = t.start, time = t.readyS ?? 0, drive = 0, gain = 0;
    for (let k = 0; k < n; k++) {
      const v = r.visits[k]!;
      const d = T(place, v);
      drive += d;
      time += d + stopS + h * Math.abs(r.qty[k]!);
      gain += gainOf(p.stations[v]!, r.qty[k]!);
      place = v;
    }
    if (n > 0) {
      const back = T(place, p.depot);
      drive += back;
      time += back;
    }
    r.endS = time;
    r.driveS = drive;
    r.gain = gain;
    return r;
  };
  const profit = function profit(r: RS) { return r.gain - w * r.driveS; };

  // Best insertion of station v into route r from the load and time bounds (other quantities fixed).
  // The best single insertion of v (est) and the best pair with v (pair), kept apart so that a pair
  // is not hidden behind a single that looks better by its (optimistic) estimate.
  const est = { ratio: 0, score: 0, pos: NO_POS, q: 0, partner: -1, pq: 0 };
  const pair = { ratio: 0, score: 0, pos: NO_POS, q: 0, partner: -1, pq: 0 };
  const estimate = function estimate(v: number, r: RS, routed: Uint8Array): void {
    est.ratio = -Infinity; est.score = 0; est.pos = NO_POS; est.q = 0; est.partner = -1; est.pq = 0;
    pair.ratio = -Infinity; pair.score = 0; pair.pos = NO_POS; pair.q = 0; pair.partner = -1; pair.pq = 0;
    const t = p.trucks[r.truck]!;
    const n = r.visits.length;
    const base = v * (Qmax + 1);
    // The three cheapest places for v alone: pairs are tried at the first PAIR_POSITIONS.
    const cheap = [NO_POS, NO_POS, NO_POS];
    const cheapD = [Infinity, Infinity, Infinity];
    // Nothing goes before the stop the truck is driving to.
    const from = n > 0 && pinnedBy[r.visits[0]!] === r.truck ? 1 : 0;
    for (let pos = from; pos <= n; pos++) {
      const prev = pos === 0 ? t.start : r.visits[pos - 1]!;
      const next = pos === n ? p.depot : r.visits[pos]!;
      const delta = n === 0 ? D[prev * N + v]! + D[v * N + p.depot]! : D[prev * N + v]! + D[v * N + next]! - D[prev * N + next]!;
      for (let j = 0; j < 3; j++) {
        if (delta < cheapD[j]!) {
          for (let m = 2; m > j; m--) { cheapD[m] = cheapD[m - 1]!; cheap[m] = cheap[m - 1]!; }
          cheapD[j] = delta; cheap[j] = pos;
          break;
        }
      }
      const slack = t.shiftS - r.endS - delta - stopS;
      if (slack < 0 || (pinnedBy[v]! >= 0 && (pinnedBy[v]! !== r.truck || pos !== 0))) continue;
      const kT = h > 0 ? Math.floor(slack / h) : Qmax;
      const kC = Math.min(t.capacity - r.sufMax[pos]!, kT, Qmax);
      const kD = Math.min(r.sufMin[pos]!, kT, Qmax);
      // Bikes the later stops need bound the move exactly; the load right here bounds it loosely
      // (the route's exact re-optimisation may move fewer bikes later to move more here). The
      // estimate takes half of what the loose bound adds; the exact quantities then decide.
      const kC2 = Math.min(t.capacity - r.before[pos]!, kT, Qmax);
      const kD2 = Math.min(r.before[pos]!, kT, Qmax);
      const gC1 = kC > 0 ? bestC[base + kC]! : 0;
      const gD1 = kD > 0 ? bestD[base + kD]! : 0;
      const gC = gC1 + 0.5 * ((kC2 > 0 ? bestC[base + kC2]! : 0) - gC1);
      const gD = gD1 + 0.5 * ((kD2 > 0 ? bestD[base + kD2]! : 0) - gD1);
      const g = Math.max(gC, gD);
      if (g <= 0) continue;
      const q = gC >= gD ? argC[base + Math.max(0, kC)]! : -argD[base + Math.max(0, kD)]!;
      const score = g - w * delta;
      if (score <= 0) continue;
      const ratio = score / (delta + stopS + h * Math.abs(q) + 60);
      if (ratio > est.ratio) { est.ratio = ratio; est.score = score; est.pos = pos; est.q = q; }
    }
    // Pairs, at v's cheapest positions: v and a partner of the other kind next to it, moving the
    // same k bikes (collect before drop).
    const sv = p.stations[v]!;
    if (!(cheapD[0]! + stopS < t.shiftS - r.endS)) return; // no time for v here at all, so none for a pair
    if (pinnedBy[v]! >= 0) return; // a pinned station goes alone, first
    for (let c = 0; c < PAIR_POSITIONS; c++) {
      const pos = cheap[c]!;
      if (pos === NO_POS) continue;
      const prev = pos === 0 ? t.start : r.visits[pos - 1]!;
      const next = pos === n ? p.depot : r.visits[pos]!;
      const baseD = n === 0 ? 0 : T(prev, next);
      const room = t.capacity - r.before[pos]!; // the pair's net change is 0: only the load between them rises
      for (const o of partners.get(v)!) {
        if (routed[o]) continue;
        const [c, d] = isCollect[v] ? [v, o] : [o, v];
        const delta = T(prev, c) + T(c, d) + T(d, next) - baseD;
        const slack = t.shiftS - r.endS - delta - 2 * stopS;
        if (slack < 0) continue;
        const kMax = Math.min(room, h > 0 ? Math.floor(slack / (2 * h)) : Qmax, p.stations[c]!.bikes, upperBikes(p.stations[d]!) - p.stations[d]!.bikes);
        if (kMax < 1) continue;
        const so = p.stations[o]!;
        // A few sizes, not every k (this is the hot loop of the construction): what v wants alone,
        // what the partner wants alone, the smaller of the two, and the most that fits.
        const km = Math.min(kMax, Qmax);
        const kv = isCollect[v] ? argC[v * (Qmax + 1) + km]! : argD[v * (Qmax + 1) + km]!;
        const ko = isCollect[v] ? argD[o * (Qmax + 1) + km]! : argC[o * (Qmax + 1) + km]!;
        const sizes = [kv, ko, Math.min(kv, ko || kv), kMax];
        for (let j = 0; j < 4; j++) {
          const k = sizes[j]!;
          if (k < 1 || k > kMax || (j > 0 && sizes.indexOf(k) < j)) continue;
          if (!allowedMove(sv, isCollect[v] ? k : -k, minMove) || !allowedMove(so, isCollect[v] ? -k : k, minMove)) continue;
          const g = isCollect[v] ? gainOf(sv, k) + gainOf(so, -k) : gainOf(sv, -k) + gainOf(so, k);
          const score = g - w * delta;
          if (score <= 0) continue;
          const ratio = score / (delta + 2 * (stopS + h * k) + 120);
          if (ratio > pair.ratio) {
            pair.ratio = ratio; pair.score = score; pair.pos = pos; pair.partner = o;
            pair.q = isCollect[v] ? k : -k; pair.pq = -pair.q;
          }
        }
      }
    }
  };

  /**
   * Inserts unrouted stations into the routes listed in `allowed` while some insertion pays. Each
   * accepted insertion re-optimises that route's quantities exactly (prize-quantities.ts); visits left with
   * nothing to do are dropped again. `noise` > 0 perturbs the ranking (diversity in ruin-recreate).
   */
  const recreate = function recreate(routes: RS[], routed: Uint8Array, allowed: number[], noise: number, criterion: 'ratio' | 'gain' = 'ratio', only?: number[]): void {
    const pool = (only ?? cand).filter((s) => !routed[s]);
    const A = allowed.length;
    // Two entries per (station, route): [single, pair].
    const E = pool.length * A * 2;
    const cRatio = new Float64Array(E);
    const cPos = new Int32Array(E);
    const cQ = new Int32Array(E);
    const cPartner = new Int32Array(E);
    const cPQ = new Int32Array(E);
    const put = function put(k: number, e: typeof est) {
      cRatio[k] = e.pos === NO_POS ? -Infinity : e.ratio * (noise > 0 ? 1 + noise * (rand() - 0.5) : 1);
      cPos[k] = e.pos;
      cQ[k] = e.q;
      cPartner[k] = e.partner;
      cPQ[k] = e.pq;
    };
    const column = function column(a: number) {
      const r = routes[allowed[a]!]!;
      for (let i = 0; i < pool.length; i++) {
        const k = (i * A + a) * 2;
        if (routed[pool[i]!]) { cRatio[k] = -Infinity; cRatio[k + 1] = -Infinity; continue; }
        estimate(pool[i]!, r, routed);
        put(k, est);
        put(k + 1, pair);
      }
    };
    for (let a = 0; a < A; a++) column(a);
    // The time limit binds the construction too (the contract is the whole call within the limit):
    // past it, the insertions made so far stand, a feasible plan that does less.
    const deadline = opts.timeLimitS;
    // The TOP best estimates are re-evaluated exactly (the route's quantities re-optimised); the
    // best of them by the criterion is applied: gain per second of the shift used ('ratio', time is
    // what runs out), or plain gain ('gain', which ruin-recreate also tries for diversity).
    const TOP = 4;
    const top = new Int32Array(TOP);
    const topR = new Float64Array(TOP);
    for (;;) {
      if (elapsed() >= deadline) return;
      top.fill(-1);
      topR.fill(0);
      for (let k = 0; k < cRatio.length; k++) {
        const x = cRatio[k]!;
        if (x <= topR[TOP - 1]!) continue;
        let j = TOP - 1;
        while (j > 0 && x > topR[j - 1]!) { topR[j] = topR[j - 1]!; top[j] = top[j - 1]!; j--; }
        topR[j] = x; top[j] = k;
      }
      if (top[0]! < 0) return;
      let chosen: { k: number; a: number; next: RS; value: number } | null = null;
      const valid: number[] = [];
      for (const k of top) {
        if (k < 0) break;
        const a = (k >> 1) % A;
        const v = pool[Math.floor((k >> 1) / A)]!;
        const old = routes[allowed[a]!]!;
        const pos = cPos[k]!;
        const o = cPartner[k]!;
        cRatio[k] = -Infinity; // tried now; the column is recomputed if its route changes
        if (routed[v] || (o >= 0 && routed[o])) continue; // went into another route meanwhile
        // With a partner: the collect goes first.
        const add = o < 0 ? [v] : cQ[k]! > 0 ? [v, o] : [o, v];
        const addQ = o < 0 ? [cQ[k]!] : cQ[k]! > 0 ? [cQ[k]!, cPQ[k]!] : [cPQ[k]!, cQ[k]!];
        const visits = [...old.visits.slice(0, pos), ...add, ...old.visits.slice(pos)];
        const fallback = [...old.qty.slice(0, pos), ...addQ, ...old.qty.slice(pos)];
        const res = optimiseQuantities(p, old.truck, visits, fallback);
        if (!res.feasible) continue;
        const keepV: number[] = [];
        const keepQ: number[] = [];
        visits.forEach((x, j) => { if (res.qty[j] !== 0) { keepV.push(x); keepQ.push(res.qty[j]!); } });
        if (!keepV.includes(v)) continue;
        const next = refresh({ truck: old.truck, visits: keepV, qty: keepQ, sufMax: old.sufMax, sufMin: old.sufMin, before: old.before, endS: 0, driveS: 0, gain: 0 });
        const dp = profit(next) - profit(old);
        if (dp <= 1e-12) continue;
        const value = criterion === 'gain' ? dp : dp / (Math.max(0, next.endS - old.endS) + 60);
        valid.push(k);
        if (!chosen || value > chosen.value) chosen = { k, a, next, value };
      }
      if (!chosen) continue;
      // The others stay on offer (those of the changed route are re-estimated just below).
      for (const k of valid) if (k !== chosen.k) cRatio[k] = topR[top.indexOf(k)]!;
      const a = chosen.a;
      const next = chosen.next;
      for (const x of routes[allowed[a]!]!.visits) routed[x] = 0;
      for (const x of next.visits) routed[x] = 1;
      routes[allowed[a]!] = next;
      column(a);
    }
  };

  // A warm route's visits: stations in this problem (and zone), each once, in the route's order.
  const warmVisits = function warmVisits(r: TruckRoute, taken: Uint8Array): number[] {
    if (r.truck < 0 || r.truck >= R) return [];
    const seen = new Set<number>();
    return r.visits.filter((v) => {
      if (!Number.isInteger(v) || v < 0 || v >= S || taken[v] || seen.has(v) || (opts.allowed && !opts.allowed[v])) return false;
      if (pinnedBy[v]! >= 0 && (pinnedBy[v]! !== r.truck || seen.size > 0)) return false;
      seen.add(v);
      return true;
    });
  };
  // The longest prefix of the order whose re-decided quantities fit the shift, without the visits
  // left with nothing to do (a warm route may no longer fit: the state moved on).
  const fitted = function fitted(truck: number, visits: number[]): { visits: number[]; qty: number[] } {
    for (let n = visits.length; n > 0; n--) {
      const order = visits.slice(0, n);
      const res = optimiseQuantities(p, truck, order);
      if (!res.feasible) continue;
      const kv: number[] = [], kq: number[] = [];
      order.forEach((v, j) => { if (res.qty[j] !== 0) { kv.push(v); kq.push(res.qty[j]!); } });
      return { visits: kv, qty: kq };
    }
    return { visits: [], qty: [] };
  };

  // Construction: every truck, every candidate (after the warm start's routes, when given).
  let cur: RS[] = p.trucks.map((_, t) => refresh({ truck: t, visits: [], qty: [], sufMax: new Int32Array(1), sufMin: new Int32Array(1), before: new Int32Array(1), endS: 0, driveS: 0, gain: 0 }));
  let curRouted = new Uint8Array(S);
  for (const r of opts.initial ?? []) {
    const visits = warmVisits(r, curRouted);
    if (visits.length === 0) continue;
    const kept = fitted(r.truck, visits);
    for (const v of kept.visits) curRouted[v] = 1;
    cur[r.truck] = refresh({ ...cur[r.truck]!, visits: kept.visits, qty: kept.qty });
  }
  recreate(cur, curRouted, cur.map((_, i) => i), 0);
  const total = function total(rs: RS[]) { return rs.reduce((x, r) => x + profit(r), 0); };
  // The routing engine's order for the routes `which` of rs (in place), then insertions into the
  // time it freed; returns whether any route changed.
  let engineSeed = opts.seed;
  const polish = function polish(rs: RS[], routed: Uint8Array, which: readonly number[], iterations = ENGINE_ITERATIONS): boolean {
    const changed: number[] = [];
    for (const ri of which) {
      if (elapsed() >= opts.timeLimitS) break;
      const r = rs[ri]!;
      if (r.visits.length < 2) continue;
      const o = engineOrder(p, r, { seed: engineSeed++, iterations }, T);
      if (!o) continue;
      const next = refresh({ ...r, visits: o.route.visits, qty: o.route.qty });
      if (profit(next) <= profit(r) + 1e-12) continue;
      for (const v of r.visits) routed[v] = 0;
      for (const v of next.visits) routed[v] = 1;
      rs[ri] = next;
      changed.push(ri);
    }
    // Into the time each shorter route frees: the unrouted candidates nearest its stops.
    for (const ri of changed) {
      if (elapsed() >= opts.timeLimitS) break;
      const stops = rs[ri]!.visits;
      const near = cand.filter((v) => routed[v] === 0).map((v) => ({ v, d: Math.min(...stops.map((x) => T(x, v))) }));
      near.sort((a, b) => a.d - b.d);
      recreate(rs, routed, [ri], 0, 'ratio', near.slice(0, LOCAL_POOL).map((x) => x.v));
    }
    return changed.length > 0;
  };
  // With the engine, ruin and recreate stop early enough for the final ordering of every route by
  // the engine's local search: its time is estimated from the longest route's, ordered so now.
  let reserveS = 0;
  if (opts.orderRoutes) {
    let longest = 0;
    cur.forEach((r, i) => { if (r.visits.length > cur[longest]!.visits.length) longest = i; });
    const t0 = elapsed();
    polish(cur, curRouted, [longest], 0);
    reserveS = Math.min(ENGINE_RESERVE_MAX * opts.timeLimitS, (elapsed() - t0) * cur.filter((r) => r.visits.length > 1).length * ENGINE_RESERVE_MARGIN);
  }
  let curProfit = total(cur);
  const constructedProfit = curProfit;
  const constructionSeconds = elapsed();
  let best = cur.slice();
  let bestProfit = curProfit;

  // Ruin and recreate.
  let it = 0;
  const routedList = function routedList(rs: RS[]) { return rs.flatMap((r, ri) => r.visits.map((v) => [v, ri] as const)); };
  while (!stop.done(it) && !(opts.orderRoutes && elapsed() >= opts.timeLimitS - reserveS)) {
    it++;
    const all = routedList(cur);
    if (all.length === 0 && cand.length === 0) break;
    const seed = all.length > 0 ? all[Math.floor(rand() * all.length)]![0] : cand[Math.floor(rand() * cand.length)]!;
    const k = 1 + Math.floor(rand() * Math.min(15, Math.max(1, all.length)));
    const near = all.map(([v, ri]) => ({ v, ri, d: T(seed, v) })).sort((x, y) => x.d - y.d).slice(0, k);
    const next = cur.slice();
    const routed = curRouted.slice();
    const affected = new Set<number>(near.map((x) => x.ri));
    // One random route more: lets an idle or far truck take over the freed stations.
    affected.add(Math.floor(rand() * R));
    const remove = new Set(near.map((x) => x.v));
    for (const ri of affected) {
      const r = cur[ri]!;
      const visits = r.visits.filter((v) => !remove.has(v));
      const res = visits.length ? optimiseQuantities(p, r.truck, visits) : { qty: [], feasible: true };
      if (!res.feasible) { next[ri] = r; continue; }
      for (const v of r.visits) routed[v] = 0;
      const kv: number[] = [], kq: number[] = [];
      visits.forEach((v, j) => { if (res.qty[j] !== 0) { kv.push(v); kq.push(res.qty[j]!); routed[v] = 1; } });
      next[ri] = refresh({ truck: r.truck, visits: kv, qty: kq, sufMax: r.sufMax, sufMin: r.sufMin, before: r.before, endS: 0, driveS: 0, gain: 0 });
    }
    // Only the unrouted candidates nearest the seed are offered (the removed ones among them): an
    // iteration stays local and cheap, so there are many of them.
    const local = cand.filter((v) => routed[v] === 0).map((v) => ({ v, d: T(seed, v) })).sort((x, y) => x.d - y.d).slice(0, LOCAL_POOL).map((x) => x.v);
    recreate(next, routed, [...affected], 0.3, rand() < 0.5 ? 'ratio' : 'gain', local);
    const nextProfit = total(next);
    // Costs for the acceptance are negated profits (it minimises).
    if (acceptance.accept(-nextProfit, -curProfit, -bestProfit, progress(it))) {
      cur = next;
      curRouted = routed;
      curProfit = nextProfit;
      if (curProfit > bestProfit + 1e-12) {
        // A new best: the routes it changed in the engine's order (its local search alone, cheap),
        // and the time that frees filled, before the search goes on from it.
        if (opts.orderRoutes && polish(cur, curRouted, [...affected], 0)) curProfit = total(cur);
        best = cur.slice();
        bestProfit = curProfit;
      }
    }
  }
  if (opts.orderRoutes) {
    const routed = new Uint8Array(S);
    for (const r of best) for (const v of r.visits) routed[v] = 1;
    const polished = best.slice();
    // Every route by the engine's local search first (cheap, within the reserve), then by its
    // annealing while the budget lasts.
    polish(polished, routed, polished.map((_, i) => i), 0);
    polish(polished, routed, polished.map((_, i) => i));
    if (total(polished) > bestProfit + 1e-12) {
      best = polished;
      bestProfit = total(polished);
    }
  }
  const before = p.stations.reduce((x, s) => x + s.failures[Math.min(s.bikes, s.capacity)]!, 0);
  const routes = best.map((r) => ({ truck: r.truck, visits: r.visits.slice(), qty: r.qty.slice() }));
  // The engine's own checker, sharing no code with the search, validates what it returns.
  const check = checkPrizeRoutes(problem, routes, before - total(best));
  if (!check.ok) throw new Error(`internal error: the routing engine made routes its checker rejects: ${check.errors.slice(0, 3).join('; ')}`);
  return {
    routes,
    iterations: it,
    seconds: elapsed(),
    constructed: before - constructedProfit,
    constructionSeconds,
    candidates: cand.length,
  };
}
