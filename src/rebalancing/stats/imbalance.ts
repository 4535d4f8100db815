// Station imbalance classes. The rule (configurable, and printed with every report):
//   net = returns - pickups over the period;
//   a station with pickups + returns >= minVolume and |net| / (pickups + returns) > threshold is a
//   'source' when net < 0 (more bikes leave than arrive: it drains) or a 'sink' when net > 0 (it
//   fills up); every other station is 'balanced' (too little volume to tell counts as balanced).
import { round } from './by-hour.ts';
import type { StationTotal } from './types.ts';

export type ImbalanceClass = 'source' | 'sink' | 'balanced';

export interface ImbalanceRule {
  threshold: number;
  minVolume: number;
}

export const DEFAULT_RULE: ImbalanceRule = { threshold: 0.1, minVolume: 20 };

export interface StationRow {
  station_id: string;
  name: string | null;
  district: string | null;
  pickups: number;
  returns: number;
  net: number;
  imbalance: number; // net / (pickups + returns), in [-1, 1]
  class: ImbalanceClass;
  empty_share: number | null;
  full_share: number | null;
}

export function describeRule(rule: ImbalanceRule): string {
  return (
    `net = returns - pickups over the period; stations with pickups + returns >= ${rule.minVolume} and ` +
    `|net| / (pickups + returns) > ${rule.threshold} are 'source' (net < 0: drains) or 'sink' (net > 0: fills up); all others 'balanced'`
  );
}

export function classify(t: Pick<StationTotal, 'pickups' | 'returns'>, rule: ImbalanceRule): { net: number; imbalance: number; class: ImbalanceClass } {
  const volume = t.pickups + t.returns;
  const net = t.returns - t.pickups;
  const imbalance = volume > 0 ? net / volume : 0;
  let cls: ImbalanceClass = 'balanced';
  if (volume >= rule.minVolume && Math.abs(imbalance) > rule.threshold) cls = net < 0 ? 'source' : 'sink';
  return { net, imbalance: round(imbalance, 4), class: cls };
}

export function validateRule(rule: ImbalanceRule): void {
  if (!(rule.threshold >= 0 && rule.threshold < 1)) throw new RangeError(`imbalance threshold must be in [0, 1): ${rule.threshold}`);
  if (!(rule.minVolume >= 0)) throw new RangeError(`minimum volume must be >= 0: ${rule.minVolume}`);
}
