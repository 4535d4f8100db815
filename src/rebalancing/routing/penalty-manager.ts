// Tunes the load-excess penalty weight so that about `target` of recent candidates are feasible:
// too few feasible -> raise the weight, too many -> lower it (as in hybrid genetic search).
import type { CostEvaluator } from './cost-evaluator.ts';

export interface PenaltyParams {
  /** Initial weight per bike of excess, as a multiple of the mean arc cost. */
  initial: number;
  target: number;
  /** Candidates between adjustments. */
  window: number;
  up: number;
  down: number;
}

export const DEFAULT_PENALTY: PenaltyParams = { initial: 1, target: 0.5, window: 100, up: 1.15, down: 0.9 };

export class PenaltyManager {
  private feasible = 0;
  private seen = 0;
  private readonly min: number;
  private readonly max: number;

  constructor(
    private readonly ce: CostEvaluator,
    meanArc: number,
    private readonly params: PenaltyParams = DEFAULT_PENALTY,
  ) {
    ce.loadPenalty = params.initial * meanArc;
    this.min = 1e-2 * meanArc;
    this.max = 20 * meanArc;
  }

  register(feasible: boolean): void {
    this.seen++;
    if (feasible) this.feasible++;
    if (this.seen < this.params.window) return;
    const frac = this.feasible / this.seen;
    const w = this.ce.loadPenalty;
    if (frac < this.params.target - 0.05) this.ce.loadPenalty = Math.min(this.max, w * this.params.up);
    else if (frac > this.params.target + 0.05) this.ce.loadPenalty = Math.max(this.min, w * this.params.down);
    this.seen = 0;
    this.feasible = 0;
  }
}
