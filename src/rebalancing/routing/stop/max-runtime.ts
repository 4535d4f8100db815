// Stop after a wall-clock budget. The clock is passed in so tests can drive it.
import type { StoppingCriterion } from './stopping.ts';

export class MaxRuntime implements StoppingCriterion {
  private readonly start: number;
  constructor(
    private readonly ms: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = now();
  }

  done(): boolean {
    return this.now() - this.start >= this.ms;
  }

  progress(): number {
    return Math.min(1, (this.now() - this.start) / this.ms);
  }
}
