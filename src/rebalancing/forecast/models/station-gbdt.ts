// The station-hour demand model: Poisson gradient-boosted trees over the features of features.ts,
// offset by the station's (shrunk) hour x day-type profile, with a negative-binomial predictive
// distribution whose per-station dispersion and calibration come from held-out hours.
//
// Fit at cut-off c: (1) fit on hours before c - validation, score the validation hours, estimate
// the dispersion and its calibration there; (2) refit the trees on all hours before c. Nothing at or
// after c is read, except by features of later origins at prediction time (hours before the origin).
import { calibrateScale, fitDispersion, sizeOf } from '../calibration.ts';
import { cellProfile, CELLS } from '../baselines.ts';
import { buildFeatures, FEATURES, featureContext, otherFlow, prefixSums, type FeatureContext, type FeatureRows, type Prefix } from '../features.ts';
import { LEVEL_PRIOR, nearestStations, neighbourPrior, PRIOR_HOURS, shrunkProfile } from '../neighbours.ts';
import { FLOWS, usable, flowValues, type Censoring, type Flow, type FlowPanel } from '../panel.ts';
import { computeFactors, type Factors } from '../factors.ts';
import { binColumns, fitBinner, fitPoissonGbdt, predictLog, rng, type GbdtOptions, type PoissonGbdt } from './gbdt.ts';

export const MODEL_NAME = 'gbdt_nb';

export interface StationModelOptions {
  censoring: Censoring;
  gbdt: Partial<GbdtOptions>;
  /** Training rows drawn at most (station-hours, each with a random horizon 1..24). */
  maxTrainRows: number;
  /** Held-out days before the cut-off for dispersion and calibration. */
  validationDays: number;
  /** Use only this many days before the cut-off (all if 0). */
  trainDays: number;
  seed: number;
  /** Profile shrinkage (neighbours.ts): observations of a cell the prior is worth, and expected counts its level is worth (0: no level step). */
  priorHours: number;
  levelPrior: number;
}

export const DEFAULT_STATION_MODEL: StationModelOptions = {
  censoring: 'exclude', gbdt: {}, maxTrainRows: 1_000_000, validationDays: 14, trainDays: 0, seed: 11,
  priorHours: PRIOR_HOURS, levelPrior: LEVEL_PRIOR,
};

export interface FlowModel {
  flow: Flow;
  ctx: FeatureContext;
  gbdt: PoissonGbdt;
  /** Calibrated NB2 dispersion per station. */
  alpha: Float64Array;
  calibrationScale: number;
}

export interface StationModel {
  name: string;
  cutoff: number;
  options: StationModelOptions;
  flows: Record<Flow, FlowModel>;
  /** Factor importance measured on the held-out hours. */
  factors: Record<Flow, Factors>;
}

export interface FlowPrediction {
  mu: Float64Array;
  size: Float64Array;
}

interface Profiles {
  profile: Record<Flow, Float64Array>;
  prior: Record<Flow, Float64Array>;
}

function profilesBefore(panel: FlowPanel, from: number, to: number, o: StationModelOptions, neighbours: Int32Array[] | null): Profiles {
  const S = panel.stations.length;
  const profile = {} as Record<Flow, Float64Array>;
  const prior = {} as Record<Flow, Float64Array>;
  for (const f of FLOWS) {
    const prof = cellProfile(panel, f, from, to, o.censoring);
    prior[f] = neighbourPrior(prof, neighbours, S);
    profile[f] = shrunkProfile(prof, prior[f], o.priorHours, o.levelPrior);
  }
  return { profile, prior };
}

function contexts(panel: FlowPanel, p: Profiles, censoring: Censoring): Record<Flow, FeatureContext> {
  const out = {} as Record<Flow, FeatureContext>;
  const prefix = {} as Record<Flow, Prefix>;
  for (const f of FLOWS) prefix[f] = prefixSums(panel, f, censoring, p.profile[f]);
  for (const f of FLOWS) {
    const g = otherFlow(f);
    out[f] = featureContext(panel, f, censoring, p.profile[f], p.profile[g], p.prior[f], prefix[f], prefix[g]);
  }
  return out;
}

/** Usable station-hours in [from, to), each with a random horizon; Bernoulli-sampled to at most maxRows. */
export function sampleRows(panel: FlowPanel, flow: Flow, from: number, to: number, censoring: Censoring, maxRows: number, seed: number): FeatureRows {
  const S = panel.stations.length;
  const T = panel.hours;
  let total = 0;
  for (let s = 0; s < S; s++) for (let t = from; t < to; t++) if (usable(panel, flow, s * T + t, censoring)) total++;
  const keep = Math.min(1, maxRows / Math.max(1, total));
  const rand = rng(seed);
  const st: number[] = [];
  const tt: number[] = [];
  const hh: number[] = [];
  for (let s = 0; s < S; s++) {
    for (let t = from; t < to; t++) {
      if (!usable(panel, flow, s * T + t, censoring)) continue;
      if (keep < 1 && rand() >= keep) continue;
      st.push(s);
      tt.push(t);
      hh.push(1 + Math.floor(rand() * 24));
    }
  }
  return { station: Int32Array.from(st), target: Int32Array.from(tt), horizon: Int32Array.from(hh) };
}

function targets(panel: FlowPanel, flow: Flow, rows: FeatureRows): Float32Array {
  const y = flowValues(panel, flow);
  const out = new Float32Array(rows.station.length);
  for (let k = 0; k < out.length; k++) out[k] = y[rows.station[k]! * panel.hours + rows.target[k]!]!;
  return out;
}

function fitTrees(ctx: FeatureContext, rows: FeatureRows, o: StationModelOptions): PoissonGbdt {
  const { columns, offset } = buildFeatures(ctx, rows);
  const binner = fitBinner(columns);
  const X = binColumns(binner, columns);
  return fitPoissonGbdt(X, targets(ctx.panel, ctx.flow, rows), binner, { seed: o.seed, ...o.gbdt }, null, offset);
}

export function predictRates(ctx: FeatureContext, gbdt: PoissonGbdt, rows: FeatureRows): Float64Array {
  const { columns, offset } = buildFeatures(ctx, rows);
  const X = binColumns(gbdt.binner, columns);
  const lf = predictLog(gbdt, X, offset);
  for (let i = 0; i < lf.length; i++) lf[i] = Math.exp(lf[i]!);
  return lf;
}

/** Fit the model on hours before `cutoff` (an hour index of the panel). */
/**
 * `log` hears one line as each of the fit's four tree fits starts (held-out then final, pickups
 * then returns): what it fits, on how many station-hours, the time so far and the time left as
 * the steps done so far pace it.
 */
export function fitStationModel(panel: FlowPanel, cutoff: number, options: Partial<StationModelOptions> = {}, log?: (msg: string) => void): StationModel {
  const o = { ...DEFAULT_STATION_MODEL, ...options };
  const t0 = Date.now();
  let done = 0;
  const step = (what: string, rows: number) => {
    const s = (Date.now() - t0) / 1000;
    const left = done > 0 ? `, about ${Math.round((s / done) * (4 - done))} s left` : '';
    log?.(`forecast fit ${++done}/4: ${what} trees on ${rows.toLocaleString('en-US')} station-hours (${s.toFixed(0)} s so far${left})`);
  };
  const S = panel.stations.length;
  const from = o.trainDays > 0 ? Math.max(0, cutoff - o.trainDays * 24) : 0;
  const inner = cutoff - o.validationDays * 24;
  if (inner - from < 14 * 24) throw new Error(`not enough history before the cut-off to fit (need ${o.validationDays + 14} days)`);
  const neighbours = nearestStations(panel);
  // The held-out step first (its own function, so that its prefix sums are freed before the final fit's).
  const held = heldOut(panel, from, inner, cutoff, o, neighbours, step);
  // (2) final trees on everything before the cut-off
  const fullCtx = contexts(panel, profilesBefore(panel, from, cutoff, o, neighbours), o.censoring);
  const flows = {} as Record<Flow, FlowModel>;
  for (const flow of FLOWS) {
    const { alpha, scale } = held[flow];
    const rows = sampleRows(panel, flow, from, cutoff, o.censoring, o.maxTrainRows, o.seed + 2);
    step(`final ${flow}`, rows.station.length);
    const gbdt = fitTrees(fullCtx[flow], rows, o);
    flows[flow] = { flow, ctx: fullCtx[flow], gbdt, alpha, calibrationScale: scale };
  }
  const factors = { pickups: held.pickups.factors, returns: held.returns.factors };
  log?.(`forecast fit done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { name: MODEL_NAME, cutoff, options: o, flows, factors };
}

/** Dispersion per station and its calibration scale, from a fit before `inner` scored on [inner, cutoff). */
function heldOut(panel: FlowPanel, from: number, inner: number, cutoff: number, o: StationModelOptions, neighbours: Int32Array[] | null, step: (what: string, rows: number) => void): Record<Flow, { alpha: Float64Array; scale: number; factors: Factors }> {
  const S = panel.stations.length;
  const innerCtx = contexts(panel, profilesBefore(panel, from, inner, o, neighbours), o.censoring);
  const held = {} as Record<Flow, { alpha: Float64Array; scale: number; factors: Factors }>;
  for (const flow of FLOWS) {
    // (1) held-out dispersion and calibration
    const rows = sampleRows(panel, flow, from, inner, o.censoring, o.maxTrainRows, o.seed);
    step(`held-out ${flow}`, rows.station.length);
    const innerTrees = fitTrees(innerCtx[flow], rows, o);
    const val = sampleRows(panel, flow, inner, cutoff, 'exclude', 400_000, o.seed + 1);
    const mu = predictRates(innerCtx[flow], innerTrees, val);
    const y = targets(panel, flow, val);
    const { alpha } = fitDispersion(y, mu, val.station, S);
    const rowAlpha = Float64Array.from(val.station, (s) => alpha[s]!);
    const scale = calibrateScale(y, mu, rowAlpha);
    for (let s = 0; s < S; s++) alpha[s] = alpha[s]! * scale;
    held[flow] = { alpha, scale, factors: computeFactors(innerCtx[flow], innerTrees, val, y) };
  }
  return held;
}

/** Predictive NB(mu, size) for rows (station, target hour, horizon). */
export function predictStationModel(model: StationModel, flow: Flow, rows: FeatureRows): FlowPrediction {
  const fm = model.flows[flow];
  const mu = predictRates(fm.ctx, fm.gbdt, rows);
  const size = Float64Array.from(rows.station, (s) => sizeOf(fm.alpha[s]!));
  return { mu, size };
}

export { CELLS, FEATURES };
