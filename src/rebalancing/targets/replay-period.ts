// The replay of a period (`urbanlab targets replay`, bench/targets.ts): back-to-back horizons over
// real observed demand, each station started mid-interval vs half full, with its rates from data
// before each horizon (the historical average, a stored stage-2 model, or one refitted every so
// many hours). Reads the store; the replay itself is replay-run.ts. Typed values in.
import { UserError } from '../../platform/errors.ts';
import type { Store } from '../../platform/store/connection.ts';
import type { CapacityPolicy } from './capacity.ts';
import { forecastSource } from './forecast-source.ts';
import { DEFAULT_HISTORY } from './historical-rates.ts';
import { historicalSource, runReplay, type RateSource, type ReplayStation, type ReplaySummary } from './replay-run.ts';
import type { RatesChoice } from './run.ts';
import { assertSystem, fitForecastModelAt, loadForecastModelBefore, loadHourlyGrids, loadStations, loadStatusEvents } from './store.ts';

export interface ReplayPeriodOptions {
  system: string;
  /** First horizon start (epoch seconds; rounded up to the hour) and end of the period. */
  fromS: number;
  toS: number;
  /** Whole hours. */
  horizonMinutes: number;
  stepMinutes: number;
  service: number;
  points: number;
  /** Weeks of history before each horizon for its rates. */
  weeks: number;
  /** Changes of at least this many bikes are truck moves, not demand. */
  truckThreshold: number;
  policy: CapacityPolicy;
  rates: RatesChoice;
  /** With forecast rates: refit the stage-2 model every this many hours on the flows before each refit. */
  refitHours?: number;
  /** With refitHours: training station-hours drawn at most per flow and fit (default 300,000). */
  maxRows?: number;
  log?: (msg: string) => void;
}

export async function replayPeriod(store: Store, opts: ReplayPeriodOptions): Promise<ReplaySummary> {
  await assertSystem(store, opts.system);
  const fromS = Math.ceil(opts.fromS / 3600) * 3600;
  const toS = opts.toS;
  if (opts.horizonMinutes % 60 !== 0) throw new UserError('replay horizons must be whole hours');
  const H = opts.horizonMinutes / 60;
  const { weeks, truckThreshold, policy } = opts;
  const say = (m: string) => opts.log?.(m);
  const origins: number[] = [];
  for (let t = fromS; t + H * 3600 <= toS; t += H * 3600) origins.push(t);
  if (origins.length === 0) throw new UserError(`--from .. --to holds no whole ${H} h horizon`);
  const stations = await loadStations(store, opts.system);
  const grids = await loadHourlyGrids(store, opts.system, fromS - weeks * 168 * 3600, toS);
  const events = await loadStatusEvents(store, opts.system, fromS, toS);
  say(`replay: ${origins.length} horizons x ${stations.length} stations; hourly grid ${grids.hours} h from ${new Date(grids.start * 1000).toISOString()}`);
  const input: ReplayStation[] = [];
  for (const s of stations) {
    const g = grids.grids.get(s.station_id);
    if (!g) continue;
    const e = events.get(s.station_id);
    input.push({ stationId: s.station_id, racks: s.racks, grid: g, eventTimes: e?.times ?? new Float64Array(0), eventDeltas: e?.deltas ?? new Int32Array(0), ...(e ? { eventUsable: e.usable } : {}) });
  }
  const ratesMode = opts.rates;
  const history = { ...DEFAULT_HISTORY, weeks };
  let rates: { name: string; source: RateSource } | undefined;
  if (opts.refitHours !== undefined) {
    if (ratesMode === 'historical') throw new UserError('--refit-hours refits the stage-2 model: it needs --rates forecast or auto');
    const every = opts.refitHours;
    const maxRows = opts.maxRows ?? 300_000;
    // One model per block of `every` hours, fitted on the flows before the block's start; each
    // origin is forecast by the model of its block.
    const blocks: { startS: number; source: RateSource }[] = [];
    for (let b = fromS; b < toS; b += every * 3600) {
      say(`replay rates: fitting the stage-2 model on the flows before ${new Date(b * 1000).toISOString()} (block ${blocks.length + 1} of ${Math.ceil((toS - fromS) / (every * 3600))})`);
      blocks.push({ startS: b, source: forecastSource(await fitForecastModelAt(store, opts.system, b, toS, maxRows)) });
    }
    const fallback = historicalSource(history);
    rates = {
      name: `forecast:refit-${every}h`,
      source: (st, origin, o, hours) => {
        const block = blocks[Math.min(blocks.length - 1, Math.floor((origin - fromS) / (every * 3600)))]!;
        return block.source(st, origin, o, hours) ?? fallback(st, origin, o, hours);
      },
    };
  } else if (ratesMode !== 'historical') {
    const fm = await loadForecastModelBefore(store, opts.system, fromS, toS);
    if (!fm && ratesMode === 'forecast') {
      throw new UserError(`no stage-2 model of '${opts.system}' was fitted on data before ${new Date(fromS * 1000).toISOString()}: run \`urbanlab forecast fit --system ${opts.system} --to ${new Date(fromS * 1000).toISOString().slice(0, 10)}\` first, or use --rates historical`);
    }
    if (fm) {
      // Stations the model does not know (opened after its cut-off) fall back to the historical average.
      const forecast = forecastSource(fm.model), fallback = historicalSource(history);
      rates = { name: `forecast:${fm.modelId}`, source: (st, origin, o, hours) => forecast(st, origin, o, hours) ?? fallback(st, origin, o, hours) };
      say(`replay rates: stage-2 model ${fm.modelId} (cut-off ${new Date(fm.cutoff * 1000).toISOString()}), historical average for stations it does not know`);
    }
  }
  return runReplay(input, grids.start, origins, {
    service: opts.service, horizonHours: H, stepMinutes: opts.stepMinutes, points: opts.points,
    fullBinds: true, truckThreshold, history, minObservedMinutes: 50, capacity: policy, ...(rates ? { rates } : {}),
  });
}
