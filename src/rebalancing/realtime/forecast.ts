// Stage 2 in memory for the re-plan step: a fitted model, attached to its panel of hourly flows,
// predicts every station from an origin hour, and the rows become the rates stage 3 reads
// (ForecastRates, the shape loadForecastRates gives from a stored run). predictAndSave
// (forecast/run.ts) is the same forecastAll plus the store; a loop that re-plans every few minutes
// (the simulator) calls this instead of writing a run each time.
import { HOUR_MS } from '../forecast/calendar.ts';
import type { StationModel } from '../forecast/models/station-gbdt.ts';
import { forecastAll } from '../forecast/predict.ts';
import type { ForecastRates } from '../targets/store.ts';

/**
 * Rates for the hours [originMs, originMs + hours) of every station the model knows. The features
 * read only panel hours before the origin (features.ts; test/forecast backtests check it) and the
 * stock at the origin hour's start.
 */
export function predictRates(model: StationModel, originMs: number, hours: number, runId = 'in-memory'): ForecastRates {
  const panel = model.flows.pickups.ctx.panel;
  if (originMs % HOUR_MS !== 0) throw new RangeError(`forecast origin ${new Date(originMs).toISOString()} is not on the hour`);
  const o = Math.round((originMs - panel.start) / HOUR_MS);
  const stations: ForecastRates['stations'] = new Map();
  for (const id of panel.stations) {
    stations.set(id, { pickups: new Float64Array(hours), returns: new Float64Array(hours), pickupSize: new Float64Array(hours).fill(Infinity), returnSize: new Float64Array(hours).fill(Infinity) });
  }
  for (const r of forecastAll(model, o, hours)) {
    const s = stations.get(r.unique_id)!;
    const h = r.horizon_h - 1;
    if (r.flow === 'pickups') { s.pickups[h] = r.mu; s.pickupSize[h] = r.size; }
    else { s.returns[h] = r.mu; s.returnSize[h] = r.size; }
  }
  return { runId, start: originMs / 1000, hours, stations };
}
