// A stopping criterion says when the search ends and how far along it is (for cooling schedules).
export interface StoppingCriterion {
  /** Called once per iteration; true ends the search. */
  done(iteration: number): boolean;
  /** 0 at the start, 1 at the end. */
  progress(iteration: number): number;
}
