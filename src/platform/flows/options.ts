// How hourly flows are read out of a status change log (docs/data-model.md, "Hourly flows").
export interface FlowOptions {
  /**
   * A change of at least this many docked bikes between two consecutive snapshots is a truck
   * move (rebalancing), not riders. Bay Wheels' ~10-minute snapshots: 99.3% of changes are under 8.
   */
  truckThreshold: number;
  /** An interval between snapshots longer than gapFactor x the median interval is a feed outage. */
  gapFactor: number;
}

export const DEFAULT_FLOW_OPTIONS: FlowOptions = { truckThreshold: 8, gapFactor: 3 };

/** Options given as strings (command line), checked; missing ones take the defaults. */
export function flowOptionsFrom(raw: Record<string, string | undefined>): FlowOptions {
  const pick = (name: string, fallback: number, min: number): number => {
    const v = raw[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} must be a number >= ${min}, got '${v}'`);
    return n;
  };
  return {
    truckThreshold: pick('truckThreshold', DEFAULT_FLOW_OPTIONS.truckThreshold, 1),
    gapFactor: pick('gapFactor', DEFAULT_FLOW_OPTIONS.gapFactor, 1),
  };
}
