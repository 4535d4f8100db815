// The greedy dispatcher: the comparison baseline of issue 9, run on the same fleet, travel times,
// handling time and failure curves as the planner. Each truck in turn of availability (the one free
// earliest) goes to the nearest station with the largest need, collecting or dropping as much as
// helps, until nothing it could still do fits its shift.
//
// "Need" is in bikes: how far the station is from the bottom of its failure curve (the move that
// would cut its expected failures most, whatever a truck carries). "Nearest with the largest need"
// is read as: among the NEAREST stations this truck can help now (with its load, its room and the
// time left), the one with the largest need, the nearer on ties. "As much as helps": the move that
// cuts the station's expected failures most within the truck's load or room and the time left.
// Every station is visited at most once.
import { allowedMove, gainOf, upperBikes, type PlanProblem, type TruckRoute } from '../routing/prize-instance.ts';

/** How many of the nearest helpable stations the dispatcher compares by need. */
export const GREEDY_NEAREST = 10;

/** The move (q > 0 collect, < 0 drop) that helps most, within qMin..qMax; 0 if none helps. */
function bestMove(p: PlanProblem, s: number, qMin: number, qMax: number): number {
  const st = p.stations[s]!;
  let best = 0;
  let bestG = 1e-9;
  for (let q = qMin; q <= qMax; q++) {
    if (q === 0 || !allowedMove(st, q, p.minMove)) continue;
    const g = gainOf(st, q);
    if (g > bestG + 1e-12 || (Math.abs(g - bestG) <= 1e-12 && Math.abs(q) < Math.abs(best))) {
      bestG = g;
      best = q;
    }
  }
  return best;
}

export function greedyDispatch(p: PlanProblem, nearest = GREEDY_NEAREST): TruckRoute[] {
  const S = p.stations.length;
  const need = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    const st = p.stations[s]!;
    need[s] = Math.abs(bestMove(p, s, st.bikes - upperBikes(st), st.bikes));
  }
  const open: number[] = [];
  for (let s = 0; s < S; s++) if (need[s]! > 0) open.push(s);
  const visited = new Uint8Array(S);
  // A station a truck is driving to is that truck's first stop or no stop.
  const pinnedBy = new Int32Array(S).fill(-1);
  p.trucks.forEach((t, i) => { if (t.start < S) pinnedBy[t.start] = i; });
  const routes: TruckRoute[] = p.trucks.map((_, t) => ({ truck: t, visits: [], qty: [] }));
  const state = p.trucks.map((t) => ({ place: t.start, time: t.readyS ?? 0, load: t.startLoad, done: false }));
  for (;;) {
    let ti = -1;
    for (let i = 0; i < state.length; i++) if (!state[i]!.done && (ti < 0 || state[i]!.time < state[ti]!.time)) ti = i;
    if (ti < 0) break;
    const t = p.trucks[ti]!;
    const me = state[ti]!;
    const options: { s: number; d: number; q: number }[] = [];
    for (const s of open) {
      if (visited[s] || (pinnedBy[s]! >= 0 && (pinnedBy[s] !== ti || routes[ti]!.visits.length > 0))) continue;
      const st = p.stations[s]!;
      const d = p.travel.seconds(me.place, s);
      const back = p.travel.seconds(s, p.depot);
      const spare = t.shiftS - me.time - d - p.stopS - back;
      if (spare < 0) continue;
      const kT = p.handlingS > 0 ? Math.floor(spare / p.handlingS) : Infinity;
      const qMax = Math.min(st.bikes, t.capacity - me.load, kT);
      const qMin = Math.max(st.bikes - upperBikes(st), -me.load, -kT);
      const q = bestMove(p, s, qMin, qMax);
      if (q !== 0) options.push({ s, d, q });
    }
    if (options.length === 0) {
      me.done = true;
      continue;
    }
    options.sort((a, b) => a.d - b.d);
    let pick = options[0]!;
    for (const o of options.slice(0, nearest)) if (need[o.s]! > need[pick.s]!) pick = o;
    visited[pick.s] = 1;
    routes[ti]!.visits.push(pick.s);
    routes[ti]!.qty.push(pick.q);
    me.time += pick.d + p.stopS + p.handlingS * Math.abs(pick.q);
    me.load += pick.q;
    me.place = pick.s;
  }
  return routes;
}
