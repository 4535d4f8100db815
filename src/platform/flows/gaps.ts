// Feed outages: an interval between consecutive snapshots much longer than usual. A change log
// says nothing about a quiet station, so only the snapshot times tell an outage from calm.

export interface Gap {
  /** Epoch seconds of the last snapshot before the outage. */
  start: number;
  /** Epoch seconds of the first snapshot after it. */
  end: number;
}

export interface GapResult {
  gaps: Gap[];
  medianInterval: number | undefined;
  threshold: number | undefined;
}

/** `times` sorted ascending, distinct. Gaps are intervals longer than factor x the median interval. */
export function findGaps(times: ArrayLike<number>, factor: number): GapResult {
  if (times.length < 3) return { gaps: [], medianInterval: undefined, threshold: undefined };
  const intervals = new Float64Array(times.length - 1);
  for (let i = 1; i < times.length; i++) intervals[i - 1] = times[i]! - times[i - 1]!;
  const medianInterval = median(intervals);
  const threshold = factor * medianInterval;
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! > threshold) gaps.push({ start: times[i - 1]!, end: times[i]! });
  return { gaps, medianInterval, threshold };
}

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
