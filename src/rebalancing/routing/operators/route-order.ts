// A truck's route put in the best order by the routing engine (issue 18 §2): with the stations and
// the quantities of a route fixed, what is left is the engine's own problem, a one-vehicle SBRP with
// a fixed start load, every station visited once with its whole move, travel time minimised within
// the time the shift leaves for driving. The engine's instance, solution, cost evaluator, operators
// (string removal, blink insertion, local search, double bridge), annealing and its checker do it;
// the search starts from the route's current order, so it never returns a longer one. Less driving
// leaves shift time for more stops (the prize search inserts them), and the quantities are decided
// again for the new order (prize-quantities.ts), never worse than before.
//
// The truck starts at its own place and ends at the depot, where the engine's routes start and end
// at one depot: node 0 of the instance is both, with arcs out of it from the truck's start and arcs
// into it to the depot (the engine takes asymmetric travel costs). A stop the truck is already
// driving to (its start is that station and the route's first stop is there) stays first: the
// engine orders the stops after it, from there, with the load it leaves with.
import { checkSolution, type CheckedStop } from '../checker.ts';
import { CostEvaluator } from '../cost-evaluator.ts';
import { makeInstance, type Instance } from '../instance.ts';
import { localSearch } from './local-search.ts';
import { Rng } from '../rng.ts';
import { Solution } from '../solution.ts';
import { solve } from '../solve.ts';
import { buildVisits } from '../visits.ts';
import { optimiseQuantities } from '../prize-quantities.ts';
import type { PlanProblem, TruckRoute } from '../prize-instance.ts';

export interface EngineOrderOptions {
  seed: number;
  /**
   * The engine's iteration budget per route (its result then depends only on the seed); 0: only
   * the engine's local search from the current order, to a local optimum (a fraction of the cost).
   */
  iterations: number;
}

export interface EngineOrderResult {
  route: TruckRoute;
  /** Driving seconds saved by the new order (before the quantities are decided again). */
  savedS: number;
}

/**
 * The route in the engine's best order and with its quantities decided again for that order, or
 * null when the engine finds no shorter order. `travel` is the problem's (or a cached copy of it).
 */
export function engineOrder(p: PlanProblem, route: TruckRoute, opts: EngineOrderOptions, travel: (a: number, b: number) => number = p.travel.seconds): EngineOrderResult | null {
  const truck = p.trucks[route.truck]!;
  const fixed = route.visits.length > 0 && route.visits[0] === truck.start ? 1 : 0;
  const rest = route.visits.slice(fixed);
  const restQ = route.qty.slice(fixed);
  if (rest.length < 2) return null;
  const origin = fixed ? route.visits[0]! : truck.start;
  const n = rest.length + 1;
  const place = (i: number) => (i === 0 ? -1 : rest[i - 1]!);
  const cost = new Float64Array(n * n);
  let current = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      cost[i * n + j] = i === 0 ? travel(origin, place(j)) : j === 0 ? travel(place(i), p.depot) : travel(place(i), place(j));
    }
  }
  for (let i = 0; i < n; i++) current += cost[i * n + ((i + 1) % n)]!;
  let atStops = 0;
  for (const q of route.qty) atStops += p.stopS + p.handlingS * Math.abs(q);
  // Driving time the shift leaves once the stops are paid for (the first drive, to the stop the
  // truck is heading to, is nothing: the truck is free there).
  const driveBudget = truck.shiftS - (truck.readyS ?? 0) - atStops;
  const instance = makeInstance({
    name: `truck ${truck.id}`,
    ids: Array.from({ length: n }, (_, i) => (i === 0 ? 'origin' : `s${rest[i - 1]}`)),
    demand: [0, ...restQ],
    cost,
    capacity: truck.capacity,
    vehicles: 1,
    startLoad: truck.startLoad + (fixed ? route.qty[0]! : 0),
    visitAll: true,
    maxRouteCost: Math.max(current, driveBudget) + 1e-6,
  });
  const initial = Array.from({ length: rest.length }, (_, i) => i + 1);
  const res = opts.iterations > 0 ? solve(instance, { seed: opts.seed, maxIterations: opts.iterations, strategy: 'annealing', initial: [initial] }) : improveLocally(instance, initial, opts.seed);
  if (!res.feasible || res.routes.length !== 1 || res.objective >= current - 1e-6) return null;
  // The engine's own checker validates what its search returned before the plan takes it.
  const check = checkSolution(instance, res.routes, res.objective);
  if (!check.ok) throw new Error(`internal error: the routing engine ordered truck '${truck.id}' into a route its checker rejects: ${check.errors.slice(0, 3).join('; ')}`);
  const order = res.routes[0]!.stops.map((s) => Number(s.id.slice(1)));
  const byStation = new Map(rest.map((v, i) => [v, restQ[i]!]));
  const visits = [...route.visits.slice(0, fixed), ...order];
  const fallback = [...route.qty.slice(0, fixed), ...order.map((v) => byStation.get(v)!)];
  const q = optimiseQuantities(p, route.truck, visits, fallback);
  if (!q.feasible) return null;
  const keep = visits.map((_, k) => k).filter((k) => q.qty[k] !== 0);
  return { route: { truck: route.truck, visits: keep.map((k) => visits[k]!), qty: keep.map((k) => q.qty[k]!) }, savedS: current - res.objective };
}

/** The engine's local search alone (relocate, or-opt, exchange, 2-opt) from `order`, in solve's result shape. */
function improveLocally(instance: Instance, order: number[], seed: number): { feasible: boolean; objective: number; routes: { stops: CheckedStop[] }[] } {
  const visits = buildVisits(instance, 20);
  const ce = new CostEvaluator(visits);
  const sol = Solution.of(visits, ce, [order]);
  localSearch(sol, { visits, ce, rng: new Rng(seed) }, { neighbours: 20, maxPasses: Infinity });
  sol.compact();
  // With visit_all, visit v is station v of the instance.
  const routes = sol.routes.map((r) => ({ stops: r.visits.map((v): CheckedStop => (instance.demand[v]! > 0 ? { id: instance.ids[v]!, collect: instance.demand[v]! } : { id: instance.ids[v]!, drop: -instance.demand[v]! })) }));
  return { feasible: sol.unserved.length === 0 && sol.excess() === 0, objective: sol.distance(), routes };
}
