// An acceptance criterion decides whether the search moves to a candidate solution.
export interface AcceptanceCriterion {
  /** `progress` runs from 0 (start) to 1 (the stopping criterion is about to fire). */
  accept(candidate: number, current: number, best: number, progress: number): boolean;
}
