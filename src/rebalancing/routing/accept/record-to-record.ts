// Record-to-record travel: accept a candidate that improves on the current solution, or that lies
// within a band above the best found, the band shrinking linearly from `width` x |best| at the start
// to 0 at the end. The operational planner's acceptance (a cost that may be negative: failures after
// the plan minus nothing, or minus a prize, so the band is relative to |best|).
import type { AcceptanceCriterion } from './acceptance.ts';

export class RecordToRecord implements AcceptanceCriterion {
  constructor(private readonly width: number) {}

  accept(candidate: number, current: number, best: number, progress: number): boolean {
    const band = this.width * Math.max(0, 1 - progress) * Math.abs(best);
    return candidate <= best + band || candidate < current;
  }
}
