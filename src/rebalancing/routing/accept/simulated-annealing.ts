// Simulated annealing: accept a worse candidate when it is within a random threshold
// -T ln(U) of the current cost, with T cooling geometrically from `initial` to `final` as the
// search progresses (by time or by iterations, whichever is further along).
import type { Rng } from '../rng.ts';
import type { AcceptanceCriterion } from './acceptance.ts';

export class SimulatedAnnealing implements AcceptanceCriterion {
  constructor(
    private readonly initial: number,
    private readonly final: number,
    private readonly rng: Rng,
  ) {}

  temperature(progress: number): number {
    return this.initial * Math.pow(this.final / this.initial, Math.min(1, Math.max(0, progress)));
  }

  accept(candidate: number, current: number, _best: number, progress: number): boolean {
    return candidate < current - this.temperature(progress) * Math.log(this.rng.next() || Number.MIN_VALUE);
  }
}
