// Zones (재배치 권역): truck territories. A zone set gives every station one zone and every zone a
// number of trucks; the planner may then plan each zone with its own trucks.

/** A station as the zoning sees it: where it is, its district, and its work from the target run. */
export interface ZoneStation {
  station_id: string;
  lat: number;
  lon: number;
  /** 자치구 (or region); null when the store does not know it. */
  district: string | null;
  /** Bikes to bring (shortage) and to take (surplus) from the latest target run. */
  bring: number;
  take: number;
  /** Expected failed rentals + returns over the horizon at the current bikes (0 when unknown). */
  failures: number;
}

export type ZoneMethod = 'district' | 'balanced';

/** Work of a station: the bikes a truck must move there (bring + take). */
export const workOf = (s: Pick<ZoneStation, 'bring' | 'take'>): number => s.bring + s.take;

export interface ZoneAssignment {
  method: ZoneMethod;
  /** Zone names in report order. */
  zones: string[];
  /** Trucks per zone, same order as `zones`; they sum to the fleet. */
  trucks: number[];
  /** Zone index of every station, same order as the input stations. */
  zoneOf: Int32Array;
  /** How the zone count was reached, in words (merges, allocation rule). */
  notes: string[];
}

export interface ZoneSummary {
  zone: string;
  stations: number;
  trucks: number;
  bikes_short: number;
  bikes_over: number;
  /** bikes_short + bikes_over: the bikes to move. */
  work: number;
  /** work per truck. */
  work_per_truck: number;
  expected_failures: number;
  /** Work-weighted mean distance of the zone's stations to its work centre (km): compactness. */
  radius_km: number;
  /** Work centre (lat, lon). */
  lat: number;
  lon: number;
}

export interface ZoneSetReport {
  method: ZoneMethod;
  trucks: number;
  zones: ZoneSummary[];
  /** Largest |work per truck / fleet mean - 1| over zones with trucks: 0 is perfectly balanced. */
  imbalance: number;
  /** Work-weighted mean radius over all zones (km). */
  mean_radius_km: number;
  /** Work in zones without a truck (should be 0). */
  unserved_work: number;
  notes: string[];
}
