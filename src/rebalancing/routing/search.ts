// The search loop, kept thin: ruin, recreate, accept or not, remember the best feasible solution.
// Operators, acceptance, stopping and the penalty manager are passed in.
import type { AcceptanceCriterion } from './accept/acceptance.ts';
import type { OperatorContext } from './operators/context.ts';
import type { PenaltyManager } from './penalty-manager.ts';
import type { Solution } from './solution.ts';
import type { StoppingCriterion } from './stop/stopping.ts';

/** Progress lines on stderr (ROUTE_DEBUG=1), read once: process.env is slow to read in a hot loop. */
export const ROUTE_DEBUG = Boolean(process.env.ROUTE_DEBUG);

/** Iterations a current solution may stay load-infeasible before the search returns to the best. */
const STUCK_INFEASIBLE = 1000;

export type Ruin = (sol: Solution, ctx: OperatorContext) => number[];
export type Recreate = (sol: Solution, removed: number[], ctx: OperatorContext) => void;
export type Improve = (sol: Solution, ctx: OperatorContext) => void;
/** A perturbation in place; returns the visits at its cuts, or null when it does not apply. */
export type Shake = (sol: Solution, ctx: OperatorContext) => number[] | null;

export interface SearchStatistics {
  iterations: number;
  improvements: number;
  /** (iteration, best distance) each time the best improved. */
  trace: [number, number][];
}

/** Better = fewer unserved visits, then less distance; only load-feasible solutions count. */
export function better(a: Solution, b: Solution): boolean {
  if (a.excess() > 0) return false;
  if (a.unserved.length !== b.unserved.length) return a.unserved.length < b.unserved.length;
  return a.distance() < b.distance() - 1e-9;
}

export function search(
  initial: Solution,
  ctx: OperatorContext,
  ops: { ruin: Ruin; recreate: Recreate; improve?: Improve; shake?: { op: Shake; rate: number } },
  accept: AcceptanceCriterion,
  stop: StoppingCriterion,
  penalties?: PenaltyManager,
): { best: Solution; stats: SearchStatistics } {
  const { ce } = ctx;
  let current = initial;
  let best = initial.clone();
  const stats: SearchStatistics = { iterations: 0, improvements: 0, trace: [[0, best.distance()]] };
  let it = 0;
  let infeasibleFor = 0;
  while (!stop.done(it)) {
    const cand = current.clone();
    const cuts = ops.shake && ctx.rng.next() < ops.shake.rate ? ops.shake.op(cand, ctx) : null;
    if (cuts) {
      // A shaken solution is nearly always worse than current: improve it regardless (a scan from
      // the cuts only was measured too: fewer optima found).
      ops.improve?.(cand, ctx);
    } else {
      ops.recreate(cand, ops.ruin(cand, ctx), ctx);
      // Local search only on promising candidates: it costs more than a ruin-and-recreate step.
      if (ops.improve && cand.cost(ce) < current.cost(ce)) ops.improve(cand, ctx);
    }
    penalties?.register(cand.excess() === 0);
    if (better(cand, best)) {
      best = cand.clone();
      stats.improvements++;
      stats.trace.push([it, best.distance()]);
    }
    // Costs are recomputed each time: the penalty weight moves.
    if (accept.accept(cand.cost(ce), current.cost(ce), best.cost(ce), stop.progress(it))) current = cand;
    // A current solution that overflows for long has sunk where no move removes the overflow (e.g.
    // one long route with a bike too many): go back to the best feasible solution.
    infeasibleFor = current.excess() > 0 ? infeasibleFor + 1 : 0;
    if (infeasibleFor > STUCK_INFEASIBLE && best.excess() === 0) {
      current = best.clone();
      infeasibleFor = 0;
    }
    it++;
    if (ROUTE_DEBUG && it % 5000 === 0) console.error(it, 'w', ce.loadPenalty.toFixed(1), 'cur', current.distance().toFixed(0), current.excess(), current.routes.length, 'best', best.distance().toFixed(0), 'p', stop.progress(it).toFixed(2));
  }
  stats.iterations = it;
  return { best, stats };
}
