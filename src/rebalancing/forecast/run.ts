// Stage 2's entries for a front end (the command line, the morning chain, the service): fit the
// station-hour model on the hours before a time and store it; forecast every station from an
// origin with the latest stored model and store the run. Typed values in, the store passed in.
import type { Store } from '../../platform/store/connection.ts';
import { HOUR_MS } from './calendar.ts';
import { alignPanel, restoreModel, saveModel, type SavedModel } from './model-io.ts';
import { fitStationModel, type StationModelOptions } from './models/station-gbdt.ts';
import type { FlowPanel } from './panel.ts';
import { forecastAll, type ForecastRow } from './predict.ts';
import { latestModel, loadPanel, saveFittedModel, saveRun } from './store.ts';

/**
 * Stage 2's CPU-bound steps, on plain data (a panel in, a saved model or rows out): a front end may
 * run them elsewhere (the service runs them in a worker thread, so that a refit never stalls its
 * API). Here, by default, on the caller's thread.
 */
export interface ForecastCompute {
  fit(panel: FlowPanel, cutoff: number, options: Partial<StationModelOptions>): Promise<SavedModel>;
  forecast(saved: SavedModel, panel: FlowPanel, origin: number, hours: number): Promise<ForecastRow[]>;
}

export const localForecastCompute: ForecastCompute = {
  fit: async (panel, cutoff, options) => saveModel(fitStationModel(panel, cutoff, options)),
  forecast: async (saved, panel, origin, hours) => forecastAll(restoreModel(saved, panel), origin, hours),
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
  const panel = await loadPanel(store, opts.system, { to: opts.to });
  opts.log?.(`fitting on ${panel.stations.length} stations x ${panel.hours} hours`);
  const saved = await (opts.compute ?? localForecastCompute).fit(panel, panel.hours, {
    gbdt: opts.trees ? { trees: opts.trees } : {},
    ...(opts.maxRows ? { maxTrainRows: opts.maxRows } : {}),
  });
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
  seconds: number;
}

/**
 * The latest stored model (fitted first on the hours before the origin when there is none)
 * forecasts every station `hours` ahead of `origin`; the rows are stored as a named run.
 */
export async function predictAndSave(store: Store, opts: PredictOptions): Promise<PredictResult> {
  const { origin, hours } = opts;
  let m = await latestModel(store, opts.system);
  if (!m) {
    opts.log?.(`no fitted model for ${opts.system}: fitting one on the hours before ${new Date(origin).toISOString()}`);
    const r = await fitAndSave(store, { system: opts.system, to: origin, maxRows: opts.maxRows, log: opts.log, ...(opts.compute ? { compute: opts.compute } : {}) });
    m = { modelId: r.modelId, saved: r.saved };
  }
  const t0 = Date.now();
  const raw = await loadPanel(store, opts.system, { from: origin - PREDICT_HISTORY_DAYS * 24 * HOUR_MS, to: origin, extendHours: hours });
  const { panel, dropped } = alignPanel(raw, m.saved.stations);
  const rows = await (opts.compute ?? localForecastCompute).forecast(m.saved, panel, Math.round((origin - panel.start) / HOUR_MS), hours);
  const runId = opts.name ?? `${opts.system}-${new Date(origin).toISOString().slice(0, 13)}h`;
  await saveRun(store, { runId, system: opts.system, modelId: m.modelId, model: m.saved.name, origin, hours, stations: panel.stations.length }, rows);
  return { runId, modelId: m.modelId, rows, dropped, seconds: (Date.now() - t0) / 1000 };
}
