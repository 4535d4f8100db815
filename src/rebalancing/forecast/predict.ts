// Forecasts for every station and the hours [origin, origin + hours): the long table stage 3 reads.
import type { StationId } from '../../platform/ids.ts';
import { INTERVAL_LEVELS } from './calibration.ts';
import type { FeatureRows } from './features.ts';
import { predictStationModel, type StationModel } from './models/station-gbdt.ts';
import { nbRandomisedQuantiles } from './negbin.ts';
import { FLOWS, type Flow } from './panel.ts';

export interface ForecastRow {
  unique_id: StationId;
  /** Hour start, epoch ms (UTC). */
  ds: number;
  flow: Flow;
  horizon_h: number;
  /** Expected count (the mean). */
  y: number;
  'lo-80': number;
  'hi-80': number;
  'lo-95': number;
  'hi-95': number;
  distribution: 'negbin';
  mu: number;
  size: number;
}

/** Predict `hours` hours from panel hour index `origin` (features read only hours before it). */
export function forecastAll(model: StationModel, origin: number, hours: number): ForecastRow[] {
  const panel = model.flows.pickups.ctx.panel;
  const S = panel.stations.length;
  if (origin + hours > panel.hours) throw new Error(`panel too short: ${panel.hours} hours, need ${origin + hours}`);
  const n = S * hours;
  const rows: FeatureRows = { station: new Int32Array(n), target: new Int32Array(n), horizon: new Int32Array(n) };
  let k = 0;
  for (let s = 0; s < S; s++) {
    for (let h = 1; h <= hours; h++) {
      rows.station[k] = s;
      rows.target[k] = origin + h - 1;
      rows.horizon[k] = h;
      k++;
    }
  }
  const out: ForecastRow[] = [];
  const q = new Float64Array(INTERVAL_LEVELS.length);
  for (const flow of FLOWS) {
    const pred = predictStationModel(model, flow, rows);
    for (let i = 0; i < n; i++) {
      const mu = pred.mu[i]!;
      const size = pred.size[i]!;
      nbRandomisedQuantiles(INTERVAL_LEVELS, mu, size, q);
      out.push({
        unique_id: panel.stations[rows.station[i]!]!, ds: panel.start + rows.target[i]! * 3_600_000, flow, horizon_h: rows.horizon[i]!, y: mu,
        'lo-95': q[0]!, 'lo-80': q[1]!, 'hi-80': q[2]!, 'hi-95': q[3]!, distribution: 'negbin', mu, size,
      });
    }
  }
  return out;
}
