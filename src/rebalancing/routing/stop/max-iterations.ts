// Stop after a number of iterations: the reproducible budget (same seed, same result).
import type { StoppingCriterion } from './stopping.ts';

export class MaxIterations implements StoppingCriterion {
  constructor(private readonly iterations: number) {}

  done(iteration: number): boolean {
    return iteration >= this.iterations;
  }

  progress(iteration: number): number {
    return Math.min(1, iteration / this.iterations);
  }
}
