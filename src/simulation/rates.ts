// Where the planned policies' rates come from at a re-plan instant.
//   rolling: the forecast model, fitted before the run, predicts every station from the hour of the
//            instant, once per hour, with the simulated bikes at that moment as the stock at the
//            origin (the model's only input of the instant; its lags are hours before the origin).
//   oracle:  the real flows of the hours ahead, counted from the very events the replay will play
//            (the bound a perfect forecast would give).
import { HOUR_MS } from '../rebalancing/forecast/calendar.ts';
import type { StationModel } from '../rebalancing/forecast/models/station-gbdt.ts';
import { predictRates } from '../rebalancing/realtime/forecast.ts';
import type { HorizonHourlyRates } from '../rebalancing/targets/replay-run.ts';
import type { ForecastRates } from '../rebalancing/targets/store.ts';
import type { RiderEvents } from './demand.ts';
import type { WorldView } from './policies/policy.ts';
import type { Stations } from './world.ts';

/** Hours of rates a re-plan may need: a horizon starting anywhere in an hour. */
export function hoursNeeded(horizonMinutes: number): number {
  return Math.ceil(horizonMinutes / 60) + 1;
}

export function forecastFeed(model: StationModel, stations: Stations, horizonMinutes: number): (atS: number, view: WorldView) => ForecastRates {
  const panel = model.flows.pickups.ctx.panel;
  const world = new Map(stations.ids.map((id, i) => [id, i]));
  const toWorld = Int32Array.from(panel.stations, (id) => world.get(id) ?? -1);
  const hours = hoursNeeded(horizonMinutes);
  const cache = new Map<number, ForecastRates>();
  return (atS, view) => {
    const origin = Math.floor((atS * 1000) / HOUR_MS) * HOUR_MS;
    let rates = cache.get(origin);
    if (!rates) {
      const o = Math.round((origin - panel.start) / HOUR_MS);
      if (panel.stock && o >= 0 && o < panel.hours) {
        // The stock at the origin as the simulation has it (not the real log's).
        const T = panel.hours;
        for (let s = 0; s < toWorld.length; s++) {
          const w = toWorld[s]!;
          if (w < 0) continue;
          const i = s * T + o;
          const b = view.bikes[w]!;
          panel.stock.ebikes[i] = Number.isNaN(panel.stock.ebikes[i]!) ? Number.NaN : Math.min(panel.stock.ebikes[i]!, b);
          panel.stock.bikes[i] = b;
          panel.stock.docks[i] = stations.capacity[w]! - b;
        }
      }
      rates = predictRates(model, origin, hours);
      cache.clear();
      cache.set(origin, rates);
    }
    return rates;
  };
}

/**
 * The oracle's rates at an instant: each station's real pickups and returns of the hours ahead,
 * counted from the very events the replay will play. The first hour counts only what is left of it
 * after the instant (at least its last 15 minutes, as an hourly rate); no spread (the counts are known exactly).
 */
export function trueFlows(events: RiderEvents, stations: Stations): (atS: number) => (stationId: string, hours: number) => HorizonHourlyRates | null {
  const S = stations.ids.length;
  const world = new Map(stations.ids.map((id, i) => [id, i]));
  // Each station's event times, pickups and returns apart (events are sorted by time).
  const times: Array<{ p: number[]; r: number[] }> = Array.from({ length: S }, () => ({ p: [], r: [] }));
  for (let i = 0; i < events.t.length; i++) (events.delta[i]! < 0 ? times[events.station[i]!]!.p : times[events.station[i]!]!.r).push(events.t[i]!);
  const count = (xs: number[], a: number, b: number) => lowerBound(xs, b) - lowerBound(xs, a);
  return (atS) => (id, hours) => {
    const s = world.get(id);
    if (s === undefined) return null;
    const hour0 = Math.floor(atS / 3600) * 3600;
    const pickups = new Float64Array(hours), returns = new Float64Array(hours);
    for (let h = 0; h < hours; h++) {
      const b = hour0 + (h + 1) * 3600;
      // The rest of the first hour, at least its last 15 minutes (a horizon's first step is 15 minutes).
      const a = h === 0 ? Math.min(atS, b - 900) : hour0 + h * 3600;
      const scale = 3600 / (b - a);
      pickups[h] = count(times[s]!.p, a, b) * scale;
      returns[h] = count(times[s]!.r, a, b) * scale;
    }
    return { pickups, returns, pickupShape: Infinity, returnShape: Infinity };
  };
}

function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (xs[m]! < x) lo = m + 1; else hi = m;
  }
  return lo;
}
