// One call from a problem to a checked plan: the planner, the greedy dispatcher on the same inputs
// for comparison, both assembled into the contract's shape and both passed through the independent
// checker before anything is returned.
import { UserError } from '../../platform/import/errors.ts';
import { assemblePlan, type PlanContext } from './assemble.ts';
import { checkPlan, type CheckInput } from './check.ts';
import { greedyDispatch } from './greedy.ts';
import type { Plan } from './plan.ts';
import { expectedFailuresBefore, routeGain, type PlanProblem, type TruckRoute } from './problem.ts';
import { solvePlan, type SolveOptions, type SolveResult } from './solver.ts';

export interface PlannerResult {
  plan: Plan;
  greedy: Plan;
  solve: SolveResult;
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
    trucks: new Map(p.trucks.map((t) => [t.id, { capacity: t.capacity, shiftMinutes: t.shiftS / 60, startLoad: t.startLoad }])),
    travel: (a, b) => p.travel.seconds(idx(a), idx(b)),
    ownStart,
    handlingSPerBike: p.handlingS,
  };
}

function afterOf(p: PlanProblem, routes: readonly TruckRoute[]): number {
  return expectedFailuresBefore(p) - routes.reduce((x, r) => x + routeGain(p, r), 0);
}

function verified(plan: Plan, p: PlanProblem, what: string): Plan {
  const c = checkPlan(plan, checkInputOf(p));
  if (!c.ok) throw new Error(`internal error: the ${what} made a plan the checker rejects: ${c.errors.slice(0, 3).join('; ')}`);
  return plan;
}

/** A zone: its stations (indices of the problem) and how many of the fleet's trucks work it. */
export interface PlanZone {
  zone: string;
  trucks: number;
  stations: number[];
}

/**
 * Zone by zone: the fleet's trucks go to the zones in fleet order (the first `trucks` of the first
 * zone, and so on), and each zone is planned alone with its trucks and its stations, with a share of
 * the time limit in proportion to its trucks. The greedy baseline stays city-wide.
 */
function solveByZones(p: PlanProblem, zones: readonly PlanZone[], opts: SolveOptions): { solve: SolveResult; zoneOf: string[] } {
  const total = zones.reduce((a, z) => a + z.trucks, 0);
  if (total !== p.trucks.length) throw new UserError(`the zone set is for ${total} trucks and the fleet has ${p.trucks.length}: make the zones with --trucks ${p.trucks.length}`);
  const routes: TruckRoute[] = [];
  const zoneOf: string[] = new Array<string>(p.trucks.length).fill('');
  let first = 0, iterations = 0, constructed = 0, constructionSeconds = 0, candidates = 0;
  const t0 = performance.now();
  for (const z of zones) {
    const trucks = Array.from({ length: z.trucks }, (_, i) => first + i);
    first += z.trucks;
    trucks.forEach((t) => (zoneOf[t] = z.zone));
    if (trucks.length === 0) continue;
    const allowed = new Uint8Array(p.stations.length);
    for (const s of z.stations) allowed[s] = 1;
    const sub: PlanProblem = { ...p, trucks: trucks.map((t) => p.trucks[t]!) };
    const r = solvePlan(sub, { ...opts, allowed, timeLimitS: (opts.timeLimitS * z.trucks) / Math.max(1, total) });
    for (const route of r.routes) routes.push({ ...route, truck: trucks[route.truck]! });
    iterations += r.iterations; constructed += r.constructed; constructionSeconds += r.constructionSeconds; candidates += r.candidates;
  }
  routes.sort((a, b) => a.truck - b.truck);
  return { solve: { routes, iterations, seconds: (performance.now() - t0) / 1000, constructed, constructionSeconds, candidates }, zoneOf };
}

export function makePlan(p: PlanProblem, ctx: PlanContext, opts: SolveOptions, zones?: readonly PlanZone[]): PlannerResult {
  const g0 = performance.now();
  const greedyRoutes = greedyDispatch(p);
  const greedySeconds = (performance.now() - g0) / 1000;
  const greedyAfter = afterOf(p, greedyRoutes);
  const zoned = zones ? solveByZones(p, zones, opts) : null;
  const solve = zoned ? zoned.solve : solvePlan(p, opts);
  const assembled = assemblePlan(p, solve.routes, ctx, greedyAfter);
  if (zoned) assembled.routes.forEach((r, i) => (r.zone = zoned.zoneOf[solve.routes[i]!.truck]));
  const plan = verified(assembled, p, 'planner');
  const greedy = verified(assemblePlan(p, greedyRoutes, ctx, greedyAfter), p, 'greedy dispatcher');
  return { plan, greedy, solve, greedySeconds };
}
