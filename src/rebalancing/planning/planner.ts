// One call from a problem to a checked plan: the planner, the greedy dispatcher on the same inputs
// for comparison, both assembled into the contract's shape and both passed through the independent
// checker before anything is returned.
import { assemblePlan, type PlanContext } from './assemble.ts';
import { checkPlan, type CheckInput } from './check.ts';
import { greedyDispatch } from './greedy.ts';
import type { Plan } from './plan.ts';
import { expectedFailuresBefore, MIN_MOVE_EXEMPT_GAIN, routeGain, type PlanProblem, type TruckRoute } from '../routing/prize-instance.ts';
import { solvePrize, type PrizeSolveOptions, type PrizeSolveResult } from '../routing/prize-search.ts';

export interface SolveOptions extends PrizeSolveOptions {
  /** The search: the routing engine's prize-collecting form, the only one (the planner's own search was removed). */
  planner?: 'engine';
}

export interface PlannerResult {
  plan: Plan;
  greedy: Plan;
  solve: PrizeSolveResult;
  greedySeconds: number;
}

/** The checker's view of a problem: places by name ('depot', 'start:<truck>', station ids). */
export function checkInputOf(p: PlanProblem): CheckInput {
  const place = new Map<string, number>();
  p.stations.forEach((s, i) => place.set(s.id, i));
  place.set('depot', p.depot);
  const ownStart = new Set<string>();
  for (const t of p.trucks) {
    if (t.start !== p.depot) {
      place.set(`start:${t.id}`, t.start);
      ownStart.add(t.id);
    }
  }
  const idx = (k: string) => {
    const i = place.get(k);
    if (i === undefined) throw new Error(`checker: no place '${k}'`);
    return i;
  };
  return {
    stations: new Map(p.stations.map((s) => [s.id, { bikes: s.bikes, capacity: s.capacity, failures: s.failures }])),
    trucks: new Map(p.trucks.map((t) => [t.id, { capacity: t.capacity, shiftMinutes: t.shiftS / 60, startLoad: t.startLoad, readyMinutes: (t.readyS ?? 0) / 60, ...(t.start < p.stations.length ? { headingTo: p.stations[t.start]!.id } : {}) }])),
    travel: (a, b) => p.travel.seconds(idx(a), idx(b)),
    ownStart,
    handlingSPerBike: p.handlingS,
    stopSPerStop: p.stopS,
    minMove: p.minMove,
    exemptGain: MIN_MOVE_EXEMPT_GAIN,
  };
}

function afterOf(p: PlanProblem, routes: readonly TruckRoute[]): number {
  return expectedFailuresBefore(p) - routes.reduce((x, r) => x + routeGain(p, r), 0);
}

/** The plan, once the independent checker accepts it against the whole problem. */
export function verified(plan: Plan, p: PlanProblem, what: string): Plan {
  const c = checkPlan(plan, checkInputOf(p));
  if (!c.ok) throw new Error(`internal error: the ${what} made a plan the checker rejects: ${c.errors.slice(0, 3).join('; ')}`);
  return plan;
}

// Planning zone by zone (route plan --zones, zones --fleet) is by-zones.ts, on top of this.
export function makePlan(p: PlanProblem, ctx: PlanContext, opts: SolveOptions): PlannerResult {
  const now = opts.clock ?? (() => performance.now());
  const g0 = now();
  const greedyRoutes = greedyDispatch(p);
  const greedySeconds = (now() - g0) / 1000;
  const greedyAfter = afterOf(p, greedyRoutes);
  // The greedy run counts against the limit: the whole call keeps to opts.timeLimitS.
  const rest = { ...opts, timeLimitS: Math.max(0, opts.timeLimitS - greedySeconds) };
  const solve = solvePrize(p, rest);
  const plan = verified(assemblePlan(p, solve.routes, ctx, greedyAfter), p, 'planner');
  const greedy = verified(assemblePlan(p, greedyRoutes, ctx, greedyAfter), p, 'greedy dispatcher');
  return { plan, greedy, solve, greedySeconds };
}
