// Hybrid genetic search (Vidal et al. 2012; Vidal 2022, as in PyVRP): children of two parents by
// order crossover of their giant tours, split into routes, improved to a local optimum, and kept in a
// diverse population. The long single routes of tight one-commodity instances end in 3-opt optimal
// basins that one annealing run rarely leaves (docs/routing.md); recombining the routes of several
// runs' local optima crosses between those basins.
import type { OperatorContext } from './operators/context.ts';
import { orderCrossover } from './operators/order-crossover.ts';
import { splitTour } from './operators/split.ts';
import type { PenaltyManager } from './penalty-manager.ts';
import { DEFAULT_POPULATION, Population, type PopulationParams } from './population.ts';
import { better, ROUTE_DEBUG, type Improve, type SearchStatistics } from './search.ts';
import type { Solution } from './solution.ts';
import type { StoppingCriterion } from './stop/stopping.ts';

export interface GeneticParams {
  population: PopulationParams;
  /** Random individuals the population starts from (HGS: 4 x its minimum size). */
  initial: number;
  /** Children without a new best before the population restarts (keeping nothing but the best). */
  restartAfter: number;
  /** Chance that an infeasible child is repaired by local search at a 10x and 100x penalty. */
  repairRate: number;
  /**
   * Children the budget must allow, projected from the pace of the initial population, for the
   * search to go on; below it the search stops after the initial population and says so (hands
   * over), since recombination needs many generations to pay off. 0: never hand over.
   */
  minChildren: number;
}

export const DEFAULT_GENETIC: GeneticParams = { population: DEFAULT_POPULATION, initial: 100, restartAfter: 20_000, repairRate: 0.5, minChildren: 0 };

export function geneticSearch(
  initial: Solution,
  ctx: OperatorContext,
  improve: Improve,
  stop: StoppingCriterion,
  penalties: PenaltyManager,
  params: GeneticParams = DEFAULT_GENETIC,
): { best: Solution; stats: SearchStatistics; handedOver: boolean } {
  const { visits, ce, rng } = ctx;
  const pop = new Population(visits.n, ce, rng, params.population);
  let best: Solution = initial.clone();
  const stats: SearchStatistics = { iterations: 0, improvements: 0, trace: [[0, best.distance()]] };
  let it = 0;
  let sinceBest = 0;

  // Improve a new solution, keep it (and a repaired copy when it overflows), note a new best.
  const educate = (sol: Solution): void => {
    improve(sol, ctx);
    penalties.register(sol.excess() === 0);
    pop.add(sol);
    let found = sol;
    if (sol.excess() > 0 && rng.next() < params.repairRate) {
      const weight = ce.loadPenalty;
      const repaired = sol.clone();
      for (const factor of [10, 100]) {
        ce.loadPenalty = weight * factor;
        improve(repaired, ctx);
        if (repaired.excess() === 0) break;
      }
      ce.loadPenalty = weight;
      if (repaired.excess() === 0) {
        pop.add(repaired);
        found = repaired;
      }
    }
    if (better(found, best)) {
      best = found.clone();
      stats.improvements++;
      stats.trace.push([it, best.distance()]);
      sinceBest = 0;
    }
  };

  const randomStart = (): void => {
    const tour: number[] = [];
    for (let v = 1; v < visits.n; v++) tour.push(v);
    educate(splitTour(rng.shuffle(tour), ctx));
  };

  // The constructive start joins the population (its routes are often good pieces to inherit) when
  // it serves every visit: a parent's giant tour must hold them all.
  if (initial.unserved.length === 0) pop.add(initial.clone());
  // The budget's pace so far (by time or by iterations, whichever runs out first) projects how many
  // children it allows in all; a budget too small for recombination to pay off is handed over, if
  // need be before the initial population is complete (once a twentieth of it is spent).
  const projection = (): number => (stop.progress(it) > 0 ? it / stop.progress(it) : Infinity);
  for (let k = 0; k < params.initial && !stop.done(it); k++) {
    randomStart();
    it++;
    if (k + 1 < params.initial && stop.progress(it) >= 0.05 && projection() < params.minChildren) break;
  }
  if (ROUTE_DEBUG) console.error('initial population', it, 'progress', stop.progress(it).toFixed(3), 'projected children', projection().toFixed(0), 'best', best.distance());
  if (projection() < params.minChildren) {
    stats.iterations = it;
    return { best, stats, handedOver: true };
  }
  while (!stop.done(it)) {
    const a = pop.select();
    let b = pop.select();
    for (let tries = 0; b === a && tries < 3; tries++) b = pop.select();
    educate(splitTour(orderCrossover(a.tour, b.tour, rng, visits.n), ctx));
    it++;
    if (++sinceBest > params.restartAfter) {
      pop.clear();
      pop.add(best.clone());
      for (let k = 0; k < params.initial && !stop.done(it); k++, it++) randomStart();
      sinceBest = 0;
    }
    if (ROUTE_DEBUG && it % 1000 === 0) console.error(it, 'w', ce.loadPenalty.toFixed(1), 'pop', pop.feasible.length, pop.infeasible.length, 'best', best.distance().toFixed(0), 'p', stop.progress(it).toFixed(2));
  }
  stats.iterations = it;
  return { best, stats, handedOver: false };
}
