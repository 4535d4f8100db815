// Stage 2's entries for a front end (the command line, the morning chain, the service): fit the
// station-hour model on the hours before a time and store it; forecast every station from an
// origin with the latest stored model and store the run. Typed values in, the store passed in.
import type { Store } from '../../platform/store/connection.ts';
import { describeInService, STALE_HOURS, type InService } from '../../platform/stations/in-service.ts';
import { loadStationsInService } from '../../platform/stations/in-service-store.ts';
import { checkStatusAge, type StatusAge } from '../../platform/status/age.ts';
import { HOUR_MS } from './calendar.ts';
import { alignPanel, restoreModel, saveModel, type SavedModel } from './model-io.ts';
import { fitStationModel, type StationModelOptions } from './models/station-gbdt.ts';
import type { FlowPanel } from './panel.ts';
import { forecastAll, type ForecastRow } from './predict.ts';
import { latestModel, panelWindow, readPanel, saveFittedModel, saveRun, type PanelWindow } from './store.ts';

/**
 * Stage 2's heavy steps: read a window's panel and fit on it, or read it and forecast from it. A
 * front end may run them elsewhere (the service runs them in a worker thread, reading a snapshot of
 * the window's rows, so that neither the read of years of flows nor the fit stalls its API). Here,
 * by default, on the caller's thread.
 */
export interface ForecastCompute {
  fit(store: Store, system: string, window: PanelWindow, options: Partial<StationModelOptions>, log?: (msg: string) => void): Promise<SavedModel>;
  forecast(store: Store, system: string, window: PanelWindow, saved: SavedModel, origin: number, hours: number): Promise<PanelForecast>;
}

/** A forecast from a window's panel: the rows, and the panel's stations the model knows. */
export interface PanelForecast {
  rows: ForecastRow[];
  /** The panel's stations (aligned to the model's: those it does not know are left out). */
  stations: string[];
  /** Stations in the panel the model does not know (opened after its cut-off). */
  dropped: number;
}

/** Fit on a panel already read (the local compute and the service's worker both end here). */
export function fitOnPanel(panel: FlowPanel, options: Partial<StationModelOptions>, log?: (msg: string) => void): SavedModel {
  log?.(`fitting on ${panel.stations.length} stations x ${panel.hours} hours`);
  return saveModel(fitStationModel(panel, panel.hours, options, log));
}

/** Forecast `hours` from `origin` (epoch ms, on the hour) with a saved model on a panel already read. */
export function forecastOnPanel(raw: FlowPanel, saved: SavedModel, origin: number, hours: number): PanelForecast {
  const { panel, dropped } = alignPanel(raw, saved.stations);
  const rows = forecastAll(restoreModel(saved, panel), Math.round((origin - panel.start) / HOUR_MS), hours);
  return { rows, stations: [...panel.stations], dropped };
}

export const localForecastCompute: ForecastCompute = {
  fit: async (store, system, window, options, log) => {
    const t0 = Date.now();
    log?.(`forecast fit: reading the hourly flows of ${system}`);
    const panel = await readPanel(store, system, window);
    log?.(`forecast fit: read in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return fitOnPanel(panel, options, log);
  },
  forecast: async (store, system, window, saved, origin, hours) => forecastOnPanel(await readPanel(store, system, window), saved, origin, hours),
};

/** History read before a forecast origin: enough for the weekly lags and the 168 h recent level. */
const PREDICT_HISTORY_DAYS = 15;

export interface FitOptions {
  system: string;
  /** Use only hours before this instant (epoch ms); all hours when absent. */
  to?: number;
  /** Boosting rounds per flow (the model's default when absent). */
  trees?: number;
  /** Training station-hours drawn at most per flow. */
  maxRows?: number;
  /** Progress lines (stderr for the command line). */
  log?: (msg: string) => void;
  /** Where the fit runs (default: this thread). */
  compute?: ForecastCompute;
}

export interface FitResult {
  modelId: string;
  saved: SavedModel;
  seconds: number;
}

export async function fitAndSave(store: Store, opts: FitOptions): Promise<FitResult> {
  const t0 = Date.now();
  const window = await panelWindow(store, opts.system, { to: opts.to });
  const saved = await (opts.compute ?? localForecastCompute).fit(store, opts.system, window, {
    gbdt: opts.trees ? { trees: opts.trees } : {},
    ...(opts.maxRows ? { maxTrainRows: opts.maxRows } : {}),
  }, opts.log);
  const modelId = await saveFittedModel(store, opts.system, saved);
  return { modelId, saved, seconds: (Date.now() - t0) / 1000 };
}

export interface PredictOptions {
  system: string;
  /** The first forecast hour (epoch ms, on the hour): only data before it are read. */
  origin: number;
  /** Hours ahead. */
  hours: number;
  /** The stored run's name (default `<system>-<origin hour>h`). */
  name?: string;
  /** Stations in service at the origin only: stale after this many hours without a report (default STALE_HOURS). */
  staleHours?: number;
  /** An origin more than staleHours after the latest status is refused unless this is set (issue 19). */
  allowStale?: boolean;
  /** With no stored model, the one fitted first draws at most this many rows per flow. */
  maxRows?: number;
  log?: (msg: string) => void;
  /** Where the fit (when there is no model) and the forecast run (default: this thread). */
  compute?: ForecastCompute;
}

export interface PredictResult {
  runId: string;
  modelId: string;
  rows: ForecastRow[];
  /** Stations in the panel the model does not know (opened after its cut-off). */
  dropped: number;
  /** Which stations are in service at the origin (only they are forecast). */
  inService: InService;
  /** Stations the model forecast that are not in service at the origin: their rows are left out. */
  notInService: number;
  /** How old the latest status is at the origin. */
  statusAge: StatusAge;
  seconds: number;
}

/**
 * The latest stored model (fitted first on the hours before the origin when there is none)
 * forecasts every station `hours` ahead of `origin`; the rows are stored as a named run.
 */
export async function predictAndSave(store: Store, opts: PredictOptions): Promise<PredictResult> {
  const { origin, hours } = opts;
  const staleHours = opts.staleHours ?? STALE_HOURS;
  const statusAge = await checkStatusAge(store, opts.system, origin / 1000, staleHours * 3600, { allowStale: opts.allowStale, flag: '--from', log: opts.log });
  let m = await latestModel(store, opts.system);
  if (!m) {
    opts.log?.(`no fitted model for ${opts.system}: fitting one on the hours before ${new Date(origin).toISOString()}`);
    const r = await fitAndSave(store, { system: opts.system, to: origin, maxRows: opts.maxRows, log: opts.log, ...(opts.compute ? { compute: opts.compute } : {}) });
    m = { modelId: r.modelId, saved: r.saved };
  }
  const t0 = Date.now();
  const window = await panelWindow(store, opts.system, { from: origin - PREDICT_HISTORY_DAYS * 24 * HOUR_MS, to: origin, extendHours: hours });
  const { rows: all, stations, dropped } = await (opts.compute ?? localForecastCompute).forecast(store, opts.system, window, m.saved, origin, hours);
  // Only the stations in service at the origin (issue 19): a station the feed dropped gets no forecast.
  const inService = await loadStationsInService(store, opts.system, origin / 1000, { staleHours });
  opts.log?.(describeInService(inService, staleHours));
  const live = new Set<string>(inService.ids);
  const keep = (id: string) => !inService.judged || live.has(id);
  const rows = all.filter((r) => keep(r.unique_id));
  const notInService = stations.filter((s) => !keep(s)).length;
  const runId = opts.name ?? `${opts.system}-${new Date(origin).toISOString().slice(0, 13)}h`;
  await saveRun(store, { runId, system: opts.system, modelId: m.modelId, model: m.saved.name, origin, hours, stations: stations.length - notInService }, rows);
  return { runId, modelId: m.modelId, rows, dropped, inService, notInService, statusAge, seconds: (Date.now() - t0) / 1000 };
}
