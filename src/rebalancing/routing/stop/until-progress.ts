// The first part of a budget: done once the whole budget is done or `share` of it is spent; its
// progress runs from 0 to 1 over that part.
import type { StoppingCriterion } from './stopping.ts';

export class UntilProgress implements StoppingCriterion {
  constructor(
    private readonly inner: StoppingCriterion,
    private readonly share: number,
  ) {}

  done(iteration: number): boolean {
    return this.inner.done(iteration) || this.inner.progress(iteration) >= this.share;
  }

  progress(iteration: number): number {
    return this.share <= 0 ? 1 : Math.min(1, this.inner.progress(iteration) / this.share);
  }
}
