// The engine's entry point: an Instance in, routes with collect/drop quantities out.
import { SimulatedAnnealing } from './accept/simulated-annealing.ts';
import { CostEvaluator } from './cost-evaluator.ts';
import type { Instance } from './instance.ts';
import { startLoadFor } from './load-segment.ts';
import { blinkInsertion } from './operators/blink-insertion.ts';
import type { OperatorContext } from './operators/context.ts';
import { localSearch } from './operators/local-search.ts';
import { doubleBridge } from './operators/double-bridge.ts';
import { stringRemoval } from './operators/string-removal.ts';
import { Rng } from './rng.ts';
import { search } from './search.ts';
import { PenaltyManager } from './penalty-manager.ts';
import { Solution } from './solution.ts';
import { FirstOf } from './stop/first-of.ts';
import { MaxIterations } from './stop/max-iterations.ts';
import { MaxRuntime } from './stop/max-runtime.ts';
import type { StoppingCriterion } from './stop/stopping.ts';
import { buildVisits } from './visits.ts';

/** Share of iterations that perturb by a double bridge (chosen over seeds 1-5 on the Dell'Amico
 *  instances whose optimum the search missed without it: 0.02 and 0.05 both better than none). */
export const SHAKE_RATE = 0.05;

/** Visits up to which the search may cross load-infeasible solutions by default. */
export const PENALISE_UP_TO = 250;

export interface SolveOptions {
  seed?: number;
  /** Wall-clock budget in seconds (preprocessing included). */
  timeLimit?: number;
  /** Iteration budget; with it alone, the result depends only on the seed. */
  maxIterations?: number;
  /** Annealing temperatures as multiples of the initial solution's mean arc cost. */
  initialTemperature?: number;
  finalTemperature?: number;
  /** Improve promising candidates by local search (default true). */
  localSearch?: boolean;
  /** Clock in ms for the time limit (default performance.now; benchmarks may pass CPU time). */
  clock?: () => number;
  /** Let the search cross load-infeasible solutions at a tuned penalty (default: small instances). */
  penalise?: boolean;
  /** Share of iterations that perturb by a double bridge instead of ruin and recreate. */
  shakeRate?: number;
}

export type Stop = { id: string; collect: number } | { id: string; drop: number };

export interface SolveResult {
  objective: number;
  seconds: number;
  routes: { stops: Stop[]; load_at_start: number; cost: number }[];
  /** Station ids left (partly) unserved: only possible with a limited fleet or fixed start load. */
  unserved: string[];
  feasible: boolean;
  iterations: number;
}

export function solve(instance: Instance, options: SolveOptions = {}): SolveResult {
  const t0 = performance.now();
  const rng = new Rng(options.seed ?? 1);
  const visits = buildVisits(instance);
  const ce = new CostEvaluator(visits);
  const ctx: OperatorContext = { visits, ce, rng };

  const criteria: StoppingCriterion[] = [];
  if (options.timeLimit !== undefined) criteria.push(new MaxRuntime(Math.max(0, options.timeLimit * 1000 - (performance.now() - t0)), options.clock));
  if (options.maxIterations !== undefined) criteria.push(new MaxIterations(options.maxIterations));
  if (criteria.length === 0) criteria.push(new MaxIterations(10_000));
  const stop = new FirstOf(...criteria);

  const initial = Solution.empty(visits);
  blinkInsertion(initial, [], ctx, { blinkRate: 0, granularAbove: Infinity, granularNeighbours: 0 });
  const meanArc = initial.distance() / Math.max(1, visits.n - 1 + initial.routes.length) || 1;
  const accept = new SimulatedAnnealing((options.initialTemperature ?? 1) * meanArc, (options.finalTemperature ?? 0.01) * meanArc, rng);
  // Crossing load-infeasible space pays off on small, tight instances; on large ones a ruin touches
  // few routes, so an overflow left in an untouched route would linger: keep routes feasible there.
  const penalise = options.penalise ?? visits.n <= PENALISE_UP_TO;
  const penalties = penalise ? new PenaltyManager(ce, meanArc) : undefined;
  const { best, stats } = search(initial, ctx, { ruin: stringRemoval, recreate: blinkInsertion, improve: options.localSearch === false ? undefined : localSearch, shake: { op: doubleBridge, rate: options.shakeRate ?? SHAKE_RATE } }, accept, stop, penalties);

  const routes = best.routes.map((r) => {
    const stops: Stop[] = [];
    let lastStation = -1;
    let lastQ = 0;
    const flush = () => {
      if (lastStation < 0) return;
      const id = instance.ids[lastStation]!;
      stops.push(lastQ < 0 ? { id, drop: -lastQ } : { id, collect: lastQ });
    };
    for (const v of r.visits) {
      const s = visits.station[v]!;
      if (s !== lastStation) {
        flush();
        lastStation = s;
        lastQ = 0;
      }
      lastQ += visits.q[v]!;
    }
    flush();
    return { stops, load_at_start: startLoadFor(r.pMin[r.length]!, instance.startLoad), cost: r.distance };
  });
  const unserved = [...new Set(best.unserved.map((v) => instance.ids[visits.station[v]!]!))];
  return {
    objective: best.distance(),
    seconds: (performance.now() - t0) / 1000,
    routes,
    unserved,
    feasible: unserved.length === 0,
    iterations: stats.iterations,
  };
}
