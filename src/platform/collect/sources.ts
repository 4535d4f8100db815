// A source of status snapshots for the poller: it fetches (archiving every payload before parsing),
// validates, and returns one snapshot, or throws why it could not.
import type { StatusSnapshot } from '../status/observation.ts';

export interface Collected {
  snapshot: StatusSnapshot;
  /** Station rows rejected, by rule. */
  rejects: Record<string, number>;
  /** The feed's ttl, seconds, when it gives one. */
  ttlS: number | undefined;
}

export interface SnapshotSource {
  readonly system: string;
  /** Fetch and validate one snapshot. Throws FetchFailed or PayloadRejected. */
  take(): Promise<Collected>;
  /** A finite source (a replay) says when it has nothing more. */
  exhausted?(): boolean;
}

/** The payload arrived (and is archived) but breaks a rule that makes the whole snapshot unusable. */
export class PayloadRejected extends Error {
  constructor(readonly rule: string, detail: string) {
    super(`${rule}: ${detail}`);
    this.name = 'PayloadRejected';
  }
}

export function countByRule(rejects: readonly { rule: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rejects) out[r.rule] = (out[r.rule] ?? 0) + 1;
  return out;
}
