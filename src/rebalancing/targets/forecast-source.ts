// Stage-2 forecasts as the replay's rates: a fitted station model (its cut-off before the replayed
// period) predicts every horizon from its origin, with features read only from hours before that
// origin (features.ts guarantees it; backtest.test.ts checks it). Each origin is predicted for all
// stations at once, the first time a station asks for it.
import { predictStationModel, type StationModel } from '../forecast/models/station-gbdt.ts';
import type { FeatureRows } from '../forecast/features.ts';
import { horizonShape } from './overdispersion.ts';
import type { HorizonHourlyRates, RateSource } from './replay-run.ts';

export function forecastSource(model: StationModel): RateSource {
  const panel = model.flows.pickups.ctx.panel;
  const index = new Map(panel.stations.map((s, i) => [s, i]));
  const S = panel.stations.length;
  const cache = new Map<number, { mu: Record<'pickups' | 'returns', Float64Array>; size: Record<'pickups' | 'returns', Float64Array> }>();
  const predictOrigin = (t0: number, hours: number) => {
    const n = S * hours;
    const rows: FeatureRows = { station: new Int32Array(n), target: new Int32Array(n), horizon: new Int32Array(n) };
    for (let s = 0, k = 0; s < S; s++) {
      for (let h = 1; h <= hours; h++, k++) {
        rows.station[k] = s;
        rows.target[k] = t0 + h - 1;
        rows.horizon[k] = h;
      }
    }
    const p = predictStationModel(model, 'pickups', rows);
    const r = predictStationModel(model, 'returns', rows);
    return { mu: { pickups: p.mu, returns: r.mu }, size: { pickups: p.size, returns: r.size } };
  };
  return (station, origin, _gridIndex, hours): HorizonHourlyRates | null => {
    const s = index.get(station.stationId);
    const t0 = Math.round((origin * 1000 - panel.start) / 3_600_000);
    if (s === undefined || t0 < 0 || t0 + hours > panel.hours) return null;
    if (t0 < model.cutoff) throw new Error(`forecast origin ${new Date(origin * 1000).toISOString()} is before the model's cut-off: it has seen the hours it would forecast`);
    let pred = cache.get(t0);
    if (!pred) {
      pred = predictOrigin(t0, hours);
      cache.set(t0, pred);
      // Origins come in ascending order per station, and every station walks all of them: keep all.
    }
    const at = s * hours;
    const pickups = pred.mu.pickups.subarray(at, at + hours), returns = pred.mu.returns.subarray(at, at + hours);
    return {
      pickups, returns,
      pickupShape: horizonShape(pickups, pred.size.pickups.subarray(at, at + hours)),
      returnShape: horizonShape(returns, pred.size.returns.subarray(at, at + hours)),
    };
  };
}
