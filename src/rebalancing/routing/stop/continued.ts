// The rest of a budget another search phase has partly spent: iterations count on from where that
// phase stopped, and progress runs from 0 to 1 over what is left (so a cooling schedule spans it).
import type { StoppingCriterion } from './stopping.ts';

export class Continued implements StoppingCriterion {
  private readonly spent: number;

  constructor(
    private readonly inner: StoppingCriterion,
    private readonly offset: number,
  ) {
    this.spent = inner.progress(offset);
  }

  done(iteration: number): boolean {
    return this.inner.done(iteration + this.offset);
  }

  progress(iteration: number): number {
    if (this.spent >= 1) return 1;
    return Math.max(0, (this.inner.progress(iteration + this.offset) - this.spent) / (1 - this.spent));
  }
}
