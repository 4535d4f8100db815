// Stop when any of several criteria fires; progress is the furthest along.
import type { StoppingCriterion } from './stopping.ts';

export class FirstOf implements StoppingCriterion {
  private readonly criteria: readonly StoppingCriterion[];
  constructor(...criteria: StoppingCriterion[]) {
    this.criteria = criteria;
  }

  done(iteration: number): boolean {
    return this.criteria.some((c) => c.done(iteration));
  }

  progress(iteration: number): number {
    let p = 0;
    for (const c of this.criteria) p = Math.max(p, c.progress(iteration));
    return p;
  }
}
