// One entry point: zones by district, by balanced clustering, or `auto`, which keeps the districts
// (the territories crews and the city already know) unless their work per truck is too uneven:
// when some district zone's work per truck is more than AUTO_LIMIT away from the fleet's mean and
// balanced clustering does better, the balanced zones are taken.
import { balancedZones, type BalancedOptions } from './balanced.ts';
import { districtZones, type DistrictOptions } from './district.ts';
import { summarise } from './summary.ts';
import type { ZoneAssignment, ZoneSetReport, ZoneStation } from './types.ts';

export type MethodChoice = 'district' | 'balanced' | 'auto';
export const AUTO_LIMIT = 0.25;

export interface MadeZones {
  assignment: ZoneAssignment;
  report: ZoneSetReport;
  /** Under `auto`: both candidates' figures and why one was taken. */
  choice?: { district: { imbalance: number; mean_radius_km: number; zones: number } | null; balanced: { imbalance: number; mean_radius_km: number; zones: number }; reason: string };
}

export function makeZones(stations: readonly ZoneStation[], trucks: number, method: MethodChoice, opts: BalancedOptions & DistrictOptions = {}): MadeZones {
  if (method === 'district') {
    const a = districtZones(stations, trucks, opts);
    return { assignment: a, report: summarise(stations, a) };
  }
  if (method === 'balanced') {
    const a = balancedZones(stations, trucks, opts);
    return { assignment: a, report: summarise(stations, a) };
  }
  const hasDistricts = stations.some((s) => s.district !== null) && stations.every((s) => s.district !== null);
  const d = hasDistricts ? districtZones(stations, trucks, opts) : null;
  const dr = d ? summarise(stations, d) : null;
  // Compare like with like: as many balanced zones as the districts gave, unless a count was asked.
  const b = balancedZones(stations, trucks, { ...opts, count: opts.count ?? d?.zones.length });
  const br = summarise(stations, b);
  const fig = (r: ZoneSetReport) => ({ imbalance: r.imbalance, mean_radius_km: r.mean_radius_km, zones: r.zones.length });
  let reason: string;
  let takeDistrict: boolean;
  if (!d || !dr) {
    takeDistrict = false;
    reason = 'the stations have no districts';
  } else if (dr.imbalance <= AUTO_LIMIT) {
    takeDistrict = true;
    reason = `districts are balanced enough (largest work-per-truck deviation ${(100 * dr.imbalance).toFixed(0)}% <= ${100 * AUTO_LIMIT}%)`;
  } else if (br.imbalance < dr.imbalance) {
    takeDistrict = false;
    reason = `districts deviate up to ${(100 * dr.imbalance).toFixed(0)}% in work per truck, balanced zones ${(100 * br.imbalance).toFixed(0)}%`;
  } else {
    takeDistrict = true;
    reason = `balanced zones are no better balanced (${(100 * br.imbalance).toFixed(0)}% vs ${(100 * dr.imbalance).toFixed(0)}%)`;
  }
  const choice = { district: dr ? fig(dr) : null, balanced: fig(br), reason };
  return takeDistrict ? { assignment: d!, report: dr!, choice } : { assignment: b, report: br, choice };
}
