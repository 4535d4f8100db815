// How many bikes a station can hold in the model. Docked systems: the docks (hard). Seoul's bikes
// lock themselves, so a station can hold more than its racks: capacity there is soft, racks plus an
// overflow allowance ("50%" of racks or a number of bikes), and the empty station is the hard
// failure. The allowance is where we stop tolerating bikes piling up, so reaching it still counts
// as "full" in the model.

export type CapacityPolicy = { kind: 'hard' } | { kind: 'soft'; overflow: { percent: number } | { bikes: number } };

/** Parses "50%" or "12" (bikes) into a soft policy; "0" or "hard" is hard capacity. */
export function parseCapacityPolicy(text: string): CapacityPolicy {
  const t = text.trim();
  if (t === 'hard' || t === '0' || t === '0%') return { kind: 'hard' };
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) return { kind: 'soft', overflow: { percent: Number(pct[1]) } };
  if (/^\d+$/.test(t)) return { kind: 'soft', overflow: { bikes: Number(t) } };
  throw new RangeError(`overflow allowance must be "hard", a percentage like "50%" or a number of bikes, got "${text}"`);
}

/** Default by system: Seoul soft with 50% overflow, everything else hard. */
export function defaultCapacityPolicy(systemId: string): CapacityPolicy {
  return systemId === 'seoul' ? { kind: 'soft', overflow: { percent: 50 } } : { kind: 'hard' };
}

/** The model's capacity (state space 0..capacity) from the racks or docks. */
export function effectiveCapacity(racks: number, policy: CapacityPolicy): number {
  if (!(racks >= 0)) throw new RangeError(`racks must be >= 0, got ${racks}`);
  const r = Math.round(racks);
  if (policy.kind === 'hard') return r;
  const extra = 'percent' in policy.overflow ? Math.round((r * policy.overflow.percent) / 100) : policy.overflow.bikes;
  return r + extra;
}

/**
 * The model's capacity for one horizon. Where the feed reports free docks, what a docked station
 * can hold at the start is its bikes + free docks THEN (disabled bikes and docks, and docks added or
 * removed since the station list was published, are taken into account); otherwise the racks.
 * Returns null when neither is known, 0 when the station holds nothing (out of service).
 */
export function horizonCapacity(policy: CapacityPolicy, racks: number | null, usableNow: number | null): number | null {
  const base = usableNow !== null && usableNow >= 0 ? usableNow : racks !== null && racks > 0 ? racks : null;
  return base === null ? null : effectiveCapacity(base, policy);
}
