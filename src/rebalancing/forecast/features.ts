// Features of one (station, target hour, horizon) row, computed only from what is known at the
// forecast origin o = t - h + 1: the fitted profile (from data before the fit's cut-off), calendar
// and weather of the target hour, and flows of hours strictly before o.
import { CELLS, cellOf } from './baselines.ts';
import { censorShare, flowValues, usable, type Censoring, type Flow, type FlowPanel } from './panel.ts';

export const FEATURES = [
  'log_profile', // log of the station x hour x day-type rate (shrunk to the neighbourhood)
  'hour', 'weekday', 'holiday', 'horizon_h',
  'lag_24h', 'lag_168h',
  'recent_3h_ratio', 'recent_24h_ratio', 'recent_168h_ratio', // observed / profile-expected before the origin
  'other_flow_3h_ratio', 'other_flow_24h_ratio',
  'empty_at_origin', 'full_at_origin',
  'bikes_at_origin', 'ebikes_at_origin', 'docks_at_origin', // stock at the origin instant (panel.stock)
  'log_station_level', 'log_neighbourhood_profile',
  'temperature', 'precipitation', 'wind', 'humidity',
] as const;
export type FeatureName = (typeof FEATURES)[number];

/** The factor groups `forecast factors` reports, each a set of features. */
export const FACTOR_GROUPS: Record<string, readonly FeatureName[]> = {
  'station identity (profile)': ['log_profile', 'log_station_level'],
  'hour of day': ['hour'],
  'weekday / day type': ['weekday'],
  'public holiday': ['holiday'],
  'recent usage (lags)': ['lag_24h', 'lag_168h', 'recent_3h_ratio', 'recent_24h_ratio', 'recent_168h_ratio', 'other_flow_3h_ratio', 'other_flow_24h_ratio'],
  'station empty/full now': ['empty_at_origin', 'full_at_origin'],
  'bikes/docks on hand now': ['bikes_at_origin', 'ebikes_at_origin', 'docks_at_origin'],
  neighbourhood: ['log_neighbourhood_profile'],
  'horizon': ['horizon_h'],
  temperature: ['temperature'],
  'rain': ['precipitation'],
  wind: ['wind'],
  humidity: ['humidity'],
};

/** Everything a fit freezes for building features (per flow). */
export interface FeatureContext {
  readonly panel: FlowPanel;
  readonly flow: Flow;
  readonly censoring: Censoring;
  /** Shrunk station x cell rate of this flow and of the other flow. */
  readonly profile: Float64Array;
  readonly otherProfile: Float64Array;
  /** Neighbourhood prior of this flow per station x cell. */
  readonly prior: Float64Array;
  readonly stationLevel: Float64Array;
  readonly cells: Uint8Array;
  /** Prefix sums per station over hours (length T + 1): observed and profile-expected, this and the other flow. */
  readonly cumY: Float64Array;
  readonly cumE: Float64Array;
  readonly cumYo: Float64Array;
  readonly cumEo: Float64Array;
}

export function otherFlow(flow: Flow): Flow {
  return flow === 'pickups' ? 'returns' : 'pickups';
}

/** Prefix sums over hours per station (length T + 1): usable observed flow and its profile expectation. */
export interface Prefix {
  readonly y: Float64Array;
  readonly e: Float64Array;
}

export function prefixSums(panel: FlowPanel, flow: Flow, censoring: Censoring, profile: Float64Array): Prefix {
  const S = panel.stations.length;
  const T = panel.hours;
  const y = flowValues(panel, flow);
  const cy = new Float64Array(S * (T + 1));
  const ce = new Float64Array(S * (T + 1));
  const cells = new Uint8Array(T);
  for (let t = 0; t < T; t++) cells[t] = cellOf(panel, t);
  for (let s = 0; s < S; s++) {
    const b = s * (T + 1);
    let ay = 0;
    let ae = 0;
    for (let t = 0; t < T; t++) {
      const i = s * T + t;
      if (usable(panel, flow, i, censoring)) {
        ay += y[i]!;
        ae += profile[s * CELLS + cells[t]!]!;
      }
      cy[b + t + 1] = ay;
      ce[b + t + 1] = ae;
    }
  }
  return { y: cy, e: ce };
}

export function featureContext(
  panel: FlowPanel, flow: Flow, censoring: Censoring, profile: Float64Array, otherProfile: Float64Array, prior: Float64Array,
  own: Prefix, other: Prefix,
): FeatureContext {
  const S = panel.stations.length;
  const T = panel.hours;
  const cells = new Uint8Array(T);
  for (let t = 0; t < T; t++) cells[t] = cellOf(panel, t);
  const stationLevel = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let m = 0;
    for (let c = 0; c < CELLS; c++) m += profile[s * CELLS + c]!;
    stationLevel[s] = Math.log(m / CELLS + 1e-3);
  }
  return { panel, flow, censoring, profile, otherProfile, prior, stationLevel, cells, cumY: own.y, cumE: own.e, cumYo: other.y, cumEo: other.e };
}

export interface FeatureRows {
  station: Int32Array;
  target: Int32Array;
  horizon: Int32Array;
}

/** Feature columns (Float32, NaN = unknown) and the log-profile offset for rows. */
export function buildFeatures(ctx: FeatureContext, rows: FeatureRows): { columns: Float32Array[]; offset: Float32Array } {
  const n = rows.station.length;
  const columns = FEATURES.map(() => new Float32Array(n));
  const offset = new Float32Array(n);
  const { panel, cells, profile, prior } = ctx;
  const T = panel.hours;
  const y = flowValues(panel, ctx.flow);
  const empty = censorShare(panel, 'pickups');
  const full = censorShare(panel, 'returns');
  const cal = panel.calendar;
  const W = panel.weather;
  const stock = panel.stock ?? null;
  const ratio = (cy: Float64Array, ce: Float64Array, s: number, o: number, w: number) => {
    const b = s * (T + 1);
    const from = Math.max(0, o - w);
    return (cy[b + o]! - cy[b + from]! + 0.5) / (ce[b + o]! - ce[b + from]! + 0.5);
  };
  const lag = (s: number, t: number, o: number) => (t >= 0 && t < o ? y[s * T + t]! : Number.NaN);
  for (let k = 0; k < n; k++) {
    const s = rows.station[k]!;
    const t = rows.target[k]!;
    const h = rows.horizon[k]!;
    const o = Math.max(0, t - h + 1); // an origin before the panel has no history (never index another station)
    const cell = cells[t]!;
    const lp = Math.log(profile[s * CELLS + cell]! + 1e-3);
    offset[k] = lp;
    let f = 0;
    columns[f++]![k] = lp;
    columns[f++]![k] = cal.localHour[t]!;
    columns[f++]![k] = cal.weekday[t]!;
    columns[f++]![k] = cal.holiday[t]!;
    columns[f++]![k] = h;
    columns[f++]![k] = lag(s, t - 24, o);
    columns[f++]![k] = lag(s, t - 168, o);
    columns[f++]![k] = ratio(ctx.cumY, ctx.cumE, s, o, 3);
    columns[f++]![k] = ratio(ctx.cumY, ctx.cumE, s, o, 24);
    columns[f++]![k] = ratio(ctx.cumY, ctx.cumE, s, o, 168);
    columns[f++]![k] = ratio(ctx.cumYo, ctx.cumEo, s, o, 3);
    columns[f++]![k] = ratio(ctx.cumYo, ctx.cumEo, s, o, 24);
    columns[f++]![k] = o >= 1 ? empty[s * T + o - 1]! : Number.NaN;
    columns[f++]![k] = o >= 1 ? full[s * T + o - 1]! : Number.NaN;
    // Stock at the start of hour o: the last status before the origin.
    columns[f++]![k] = stock ? stock.bikes[s * T + o]! : Number.NaN;
    columns[f++]![k] = stock ? stock.ebikes[s * T + o]! : Number.NaN;
    columns[f++]![k] = stock ? stock.docks[s * T + o]! : Number.NaN;
    columns[f++]![k] = ctx.stationLevel[s]!;
    columns[f++]![k] = Math.log(prior[s * CELLS + cell]! + 1e-3);
    columns[f++]![k] = W ? W.temperature[t]! : Number.NaN;
    columns[f++]![k] = W ? W.precipitation[t]! : Number.NaN;
    columns[f++]![k] = W ? W.wind[t]! : Number.NaN;
    columns[f++]![k] = W ? W.humidity[t]! : Number.NaN;
  }
  return { columns, offset };
}
