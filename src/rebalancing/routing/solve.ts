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
import { DEFAULT_GENETIC, geneticSearch } from './genetic-search.ts';
import type { SearchStatistics } from './search.ts';
import { Continued } from './stop/continued.ts';
import { UntilProgress } from './stop/until-progress.ts';
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

/** Children a budget must allow for the genetic search to go on after its initial population
 *  (measured on the Dell'Amico set at 10 s: recombination found optima the annealing missed on
 *  instances allowing 1,500-4,000 children; on those allowing fewer than 1,000 (90+ stations) the
 *  annealing ended lower). */
export const GENETIC_MIN_CHILDREN = 1000;

/** With strategy 'auto', the share of the budget the genetic search gets; annealing from its best
 *  solution spends the rest (measured on 8 Dell'Amico instances at 10 s, seed 1: 0.6 kept the optima
 *  that either search alone found on them, 1.0 lost Denver10's, annealing alone Torino20's). */
export const GENETIC_SHARE = 0.6;

/** Initial annealing temperature (x the mean arc cost) when the annealing continues from the genetic
 *  search's best (1 when it starts from the constructive solution). On 49Boston20, 52Torino20 and
 *  45RioDeJaneiro30, seeds 1-5 at 10 s, optima found in 12 of 15 runs at 0.2 and 11 at 0.1, against
 *  8 at 1 (and 11 giving the genetic search 80% of the budget instead, 8 with a population of 12-32). */
export const AFTER_GENETIC_TEMPERATURE = 0.2;

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
  /** With strategy 'auto', the share of the budget for the genetic search before annealing takes over. */
  geneticShare?: number;
  /** Share of iterations that perturb by a double bridge instead of ruin and recreate. */
  shakeRate?: number;
  /**
   * Search strategy: annealing over ruin and recreate, hybrid genetic search, or (default) 'auto':
   * the genetic search for GENETIC_SHARE of the budget, then annealing from its best; the genetic
   * search hands over early when the budget allows it too few children (GENETIC_MIN_CHILDREN,
   * projected from the pace of its initial population). It needs an unlimited fleet, a free start
   * load, every station within the route limit on its own and a penalised search (it splits tours
   * into any number of routes and crosses load-infeasible space); other instances always anneal.
   */
  strategy?: 'annealing' | 'genetic' | 'auto';
  /**
   * A warm start: routes as lists of station indices (instance indices, depot left out) to search
   * from instead of the constructive solution. Only for visit_all instances (a visit is a station);
   * the search anneals from it (no genetic search) and returns nothing worse than it when it is
   * feasible. The operational planner passes each truck's current order (operators/route-order.ts).
   */
  initial?: readonly (readonly number[])[];
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

  let initial: Solution;
  if (options.initial) {
    if (!instance.visitAll) throw new Error('solve: a warm start needs a visit_all instance (a visit per station)');
    initial = Solution.of(visits, ce, options.initial.filter((r) => r.length > 0));
  } else {
    initial = Solution.empty(visits);
    blinkInsertion(initial, [], ctx, { blinkRate: 0, granularAbove: Infinity, granularNeighbours: 0 });
  }
  const meanArc = initial.distance() / Math.max(1, visits.n - 1 + initial.routes.length) || 1;
  // Crossing load-infeasible space pays off on small, tight instances; on large ones a ruin touches
  // few routes, so an overflow left in an untouched route would linger: keep routes feasible there.
  const penalise = options.penalise ?? visits.n <= PENALISE_UP_TO;
  const penalties = penalise ? new PenaltyManager(ce, meanArc) : undefined;
  const strategy = options.strategy ?? 'auto';
  // The genetic search splits tours into any number of routes (so every visit must fit a route of
  // its own within the route limit), and crosses load-infeasible space.
  let aloneFits = true;
  for (let v = 1; v < visits.n; v++) if (ce.arc(0, v) + ce.arc(v, 0) > ce.maxRouteCost) aloneFits = false;
  const splittable = instance.vehicles === Infinity && instance.startLoad === 'free' && penalties !== undefined && aloneFits;
  let start = initial;
  let spent = 0;
  let result: { best: Solution; stats: SearchStatistics } | undefined;
  if (strategy !== 'annealing' && splittable && !options.initial) {
    const share = strategy === 'auto' ? (options.geneticShare ?? GENETIC_SHARE) : 1;
    const gaStop = share < 1 ? new UntilProgress(stop, share) : stop;
    const ga = geneticSearch(initial, ctx, (sol, c) => localSearch(sol, c, { neighbours: 20, maxPasses: Infinity }), gaStop, penalties!, {
      ...DEFAULT_GENETIC,
      minChildren: strategy === 'auto' ? GENETIC_MIN_CHILDREN * share : 0,
    });
    if (ga.handedOver || !stop.done(ga.stats.iterations)) {
      start = ga.best;
      spent = ga.stats.iterations;
    } else result = ga;
  }
  if (result === undefined) {
    const rest = spent > 0 ? new Continued(stop, spent) : stop;
    // After the genetic search the annealing starts cooler: at the full temperature it wanders off
    // the genetic search's best before it cools back down.
    const t0 = options.initialTemperature ?? (spent > 0 ? AFTER_GENETIC_TEMPERATURE : 1);
    const accept = new SimulatedAnnealing(t0 * meanArc, (options.finalTemperature ?? 0.01) * meanArc, rng);
    const sa = search(start, ctx, { ruin: stringRemoval, recreate: blinkInsertion, improve: options.localSearch === false ? undefined : localSearch, shake: { op: doubleBridge, rate: options.shakeRate ?? SHAKE_RATE } }, accept, rest, penalties);
    sa.stats.iterations += spent;
    result = sa;
  }
  const { best, stats } = result;

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
