// The search loop, kept thin: ruin, recreate, accept or not, remember the best. Operators,
// acceptance and stopping are passed in.
import type { AcceptanceCriterion } from './accept/acceptance.ts';
import type { OperatorContext } from './operators/context.ts';
import type { Solution } from './solution.ts';
import type { StoppingCriterion } from './stop/stopping.ts';

export type Ruin = (sol: Solution, ctx: OperatorContext) => number[];
export type Recreate = (sol: Solution, removed: number[], ctx: OperatorContext) => void;

export interface SearchStatistics {
  iterations: number;
  improvements: number;
  /** (iteration, best cost) each time the best improved. */
  trace: [number, number][];
}

export function search(
  initial: Solution,
  ctx: OperatorContext,
  ruin: Ruin,
  recreate: Recreate,
  accept: AcceptanceCriterion,
  stop: StoppingCriterion,
): { best: Solution; stats: SearchStatistics } {
  const { ce } = ctx;
  let current = initial;
  let currentCost = current.cost(ce);
  let best = initial.clone();
  let bestCost = currentCost;
  const stats: SearchStatistics = { iterations: 0, improvements: 0, trace: [[0, bestCost]] };
  let it = 0;
  while (!stop.done(it)) {
    const cand = current.clone();
    recreate(cand, ruin(cand, ctx), ctx);
    const candCost = cand.cost(ce);
    if (candCost < bestCost - 1e-9) {
      best = cand.clone();
      bestCost = candCost;
      stats.improvements++;
      stats.trace.push([it, bestCost]);
    }
    if (accept.accept(candCost, currentCost, bestCost, stop.progress(it))) {
      current = cand;
      currentCost = candCost;
    }
    it++;
  }
  stats.iterations = it;
  return { best, stats };
}
