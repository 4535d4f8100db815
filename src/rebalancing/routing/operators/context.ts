// What every operator gets: the visits model, the cost evaluator and the random stream.
import type { CostEvaluator } from '../cost-evaluator.ts';
import type { Rng } from '../rng.ts';
import type { Visits } from '../visits.ts';

export interface OperatorContext {
  readonly visits: Visits;
  readonly ce: CostEvaluator;
  readonly rng: Rng;
}
