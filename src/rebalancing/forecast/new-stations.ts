// New stations (공공자전거 확충): how good is the forecast for a station with little or no history?
//
// 1. Hidden history (`newStationExperiment`): the history of chosen, long-established stations
//    before (cut-off - k days) is hidden for several k, the model refitted, and those stations
//    scored over the following weeks, beside, in the same run and on the same station-hours:
//    the system-mean profile, the historical average of the little history they have (the system
//    mean in cells it has not seen), and the model fitted with their full history (the upper
//    reference). With no history a station's profile is its neighbourhood's (neighbours.ts); it
//    moves to its own as hours accumulate.
// 2. Stations that really opened inside the data (`openedStations`, `openedStationScores`): a
//    rolling backtest restricted to them, scored by the station's age (weeks since its first
//    hour), so its first weeks can be compared with its later ones.
import { cellOf, cellProfile, CELLS, type CellProfile } from './baselines.ts';
import { runBacktest, MODEL_POINT, BASELINE_POINT } from './backtest.ts';
import { calibrateScale, fitDispersion, sizeOf } from './calibration.ts';
import { scoreNegBin, type Scores } from './metrics.ts';
import { fitStationModel, predictStationModel, sampleRows, type StationModelOptions } from './models/station-gbdt.ts';
import { rng } from './models/gbdt.ts';
import { nearestStations, neighbourPrior, shrunkProfile } from './neighbours.ts';
import { FLOWS, usable, flowValues, type Flow, type FlowPanel } from './panel.ts';

export type HistoryDays = number | 'all';

/** The forecasts compared for the stations whose history was cut. */
export const NEW_STATION_MODELS = ['gbdt_nb', 'full_history', 'system_mean', 'historical_average'] as const;
export type NewStationModel = (typeof NEW_STATION_MODELS)[number];

export interface NewStationRow extends Scores {
  history_days: HistoryDays;
  model: NewStationModel;
  /** Week after the cut-off (1 = the first), or 'all' pooled. */
  week: number | 'all';
  /** Mean outcome of the scored station-hours (for scale). */
  mean_y: number;
}

export interface NewStationOptions {
  weeks: number;
  /** Hours ahead the forecasts are scored at (features from hours before the origin t - h + 1). */
  horizon: number;
  model: Partial<StationModelOptions>;
  onProgress?: (msg: string) => void;
}

/** A copy of the panel in which `stations` have no observations before hour `until`. */
export function hideHistory(p: FlowPanel, stations: readonly number[], until: number): FlowPanel {
  const pickups = p.pickups.slice();
  const returns = p.returns.slice();
  for (const s of stations) {
    pickups.fill(Number.NaN, s * p.hours, s * p.hours + Math.max(0, until));
    returns.fill(Number.NaN, s * p.hours, s * p.hours + Math.max(0, until));
  }
  return { ...p, pickups, returns };
}

/** Mean flow per usable hour of each station in [from, to) (pickups and returns pooled), NaN if none. */
export function stationVolume(p: FlowPanel, from: number, to: number): Float64Array {
  const out = new Float64Array(p.stations.length);
  for (let s = 0; s < p.stations.length; s++) {
    let sum = 0;
    let n = 0;
    for (const f of FLOWS) {
      const y = flowValues(p, f);
      for (let t = Math.max(0, from); t < Math.min(p.hours, to); t++) {
        if (!usable(p, f, s * p.hours + t, 'exclude')) continue;
        sum += y[s * p.hours + t]!;
        n++;
      }
    }
    out[s] = n > 0 ? sum / n : Number.NaN;
  }
  return out;
}

/**
 * n stations spread over volume: the stations observed for at least `minDays` days before the
 * cut-off (with coordinates, when the panel has them) sorted by their mean flow, cut into n equal
 * groups, one drawn at random (seeded) from each. Every volume class is represented, quiet
 * stations (most of them) as much as busy ones.
 */
export function chooseStations(p: FlowPanel, cutoff: number, n: number, seed: number, minDays = 60): number[] {
  const vol = stationVolume(p, 0, cutoff);
  const enough = stationVolume(p, 0, cutoff - minDays * 24);
  const eligible: number[] = [];
  for (let s = 0; s < p.stations.length; s++) {
    if (!Number.isFinite(enough[s]!) || !Number.isFinite(vol[s]!)) continue;
    if (p.lat && !(Number.isFinite(p.lat[s]!) && Number.isFinite(p.lon![s]!))) continue;
    eligible.push(s);
  }
  eligible.sort((a, b) => vol[a]! - vol[b]! || a - b);
  const k = Math.min(n, eligible.length);
  const r = rng(seed);
  const out: number[] = [];
  for (let g = 0; g < k; g++) {
    const lo = Math.floor((g * eligible.length) / k);
    const hi = Math.floor(((g + 1) * eligible.length) / k);
    out.push(eligible[lo + Math.floor(r() * (hi - lo))]!);
  }
  return out.sort((a, b) => a - b);
}

/**
 * One NB dispersion for a profile forecast (pooled over stations: a station with little history
 * has none of its own), estimated on the 14 days before the cut-off from a profile of the hours
 * before them, then scaled so that the held-out coverage is nominal, as the model's is.
 */
function profileDispersion(p: FlowPanel, flow: Flow, cutoff: number, mean: (prof: CellProfile, s: number, t: number) => number, validationDays: number): number {
  const inner = cutoff - validationDays * 24;
  const prof = cellProfile(p, flow, 0, inner, 'exclude');
  const val = sampleRows(p, flow, inner, cutoff, 'exclude', 200_000, 5);
  const y = flowValues(p, flow);
  const ys = Float64Array.from(val.station, (s, k) => y[s * p.hours + val.target[k]!]!);
  const mu = Float64Array.from(val.station, (s, k) => Math.max(1e-3, mean(prof, s, val.target[k]!)));
  const { pooled } = fitDispersion(ys, mu, new Int32Array(ys.length), 1);
  return pooled * calibrateScale(ys, mu, new Float64Array(ys.length).fill(pooled));
}

const systemMean = (p: FlowPanel) => (prof: CellProfile, _s: number, t: number) => prof.global[cellOf(p, t)]!;
/** cellProfile's mean falls back to the system mean in cells without observations. */
const ownAverage = (p: FlowPanel) => (prof: CellProfile, s: number, t: number) => prof.mean[s * CELLS + cellOf(p, t)]!;

interface Scored {
  y: number[];
  week: number[];
  mu: Record<NewStationModel, number[]>;
  size: Record<NewStationModel, number[]>;
}

export function newStationExperiment(p: FlowPanel, cutoff: number, stations: readonly number[], historyDays: readonly HistoryDays[], o: NewStationOptions): NewStationRow[] {
  const end = Math.min(p.hours, cutoff + o.weeks * 168);
  const T = p.hours;
  // The scored station-hours, the same for every history level and model.
  const rows = {} as Record<Flow, { st: Int32Array; tt: Int32Array }>;
  for (const flow of FLOWS) {
    const st: number[] = [];
    const tt: number[] = [];
    for (const s of stations) for (let t = cutoff + o.horizon - 1; t < end; t++) if (usable(p, flow, s * T + t, 'exclude')) { st.push(s); tt.push(t); }
    rows[flow] = { st: Int32Array.from(st), tt: Int32Array.from(tt) };
  }
  const predict = (panel: FlowPanel, k: HistoryDays) => {
    o.onProgress?.(`history ${k === 'all' ? 'all' : `${k} days`}: fitting`);
    const t0 = Date.now();
    const m = fitStationModel(panel, cutoff, o.model);
    const out = {} as Record<Flow, { mu: Float64Array; size: Float64Array }>;
    for (const flow of FLOWS) {
      const r = rows[flow];
      out[flow] = predictStationModel(m, flow, { station: r.st, target: r.tt, horizon: new Int32Array(r.st.length).fill(o.horizon) });
    }
    o.onProgress?.(`history ${k === 'all' ? 'all' : `${k} days`}: fitted in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    return { out, validationDays: m.options.validationDays };
  };
  // The full-history model first: it is every level's upper reference.
  const full = predict(p, 'all');
  const out: NewStationRow[] = [];
  for (const k of historyDays) {
    const panel = k === 'all' ? p : hideHistory(p, stations, cutoff - k * 24);
    const fit = k === 'all' ? full : predict(panel, k);
    const sc: Scored = { y: [], week: [], mu: { gbdt_nb: [], full_history: [], system_mean: [], historical_average: [] }, size: { gbdt_nb: [], full_history: [], system_mean: [], historical_average: [] } };
    for (const flow of FLOWS) {
      const r = rows[flow];
      const y = flowValues(p, flow);
      const prof = cellProfile(panel, flow, 0, cutoff, 'exclude');
      const sizeSystem = sizeOf(profileDispersion(panel, flow, cutoff, systemMean(p), fit.validationDays));
      const sizeOwn = sizeOf(profileDispersion(panel, flow, cutoff, ownAverage(p), fit.validationDays));
      for (let i = 0; i < r.st.length; i++) {
        const s = r.st[i]!;
        const t = r.tt[i]!;
        sc.y.push(y[s * T + t]!);
        sc.week.push(1 + Math.floor((t - cutoff) / 168));
        sc.mu.gbdt_nb.push(fit.out[flow].mu[i]!);
        sc.size.gbdt_nb.push(fit.out[flow].size[i]!);
        sc.mu.full_history.push(full.out[flow].mu[i]!);
        sc.size.full_history.push(full.out[flow].size[i]!);
        sc.mu.system_mean.push(Math.max(1e-3, systemMean(p)(prof, s, t)));
        sc.size.system_mean.push(sizeSystem);
        sc.mu.historical_average.push(Math.max(1e-3, ownAverage(p)(prof, s, t)));
        sc.size.historical_average.push(sizeOwn);
      }
    }
    // With no history the historical average is the system mean: not repeated.
    const models = NEW_STATION_MODELS.filter((m) => !(k === 'all' && m === 'full_history') && !(k === 0 && m === 'historical_average'));
    for (const model of models) {
      const point = model === 'gbdt_nb' || model === 'full_history' ? MODEL_POINT : BASELINE_POINT;
      for (const week of ['all' as const, ...Array.from({ length: o.weeks }, (_, w) => w + 1)]) {
        const idx = sc.week.flatMap((w, i) => (week === 'all' || w === week ? [i] : []));
        if (idx.length === 0) continue;
        const y = idx.map((i) => sc.y[i]!);
        out.push({ history_days: k, model, week, mean_y: y.reduce((a, b) => a + b, 0) / y.length, ...scoreNegBin(y, idx.map((i) => sc.mu[model][i]!), idx.map((i) => sc.size[model][i]!), point) });
      }
    }
  }
  return out;
}

export interface OpenedStation {
  station: number;
  /** First observed hour. */
  first: number;
}

/**
 * Stations whose first observed hour lies at least `afterDays` days into the panel and which are
 * really new: not a renumbered or moved old station (no other station within `sameSiteMetres`
 * observed before it opened), with coordinates, and observed for at least `minDays` days.
 */
export function openedStations(p: FlowPanel, afterDays = 28, sameSiteMetres = 50, minDays = 14): OpenedStation[] {
  const T = p.hours;
  const S = p.stations.length;
  const first = new Int32Array(S).fill(-1);
  const observed = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    for (let t = 0; t < T; t++) {
      if (Number.isNaN(p.pickups[s * T + t]!)) continue;
      if (first[s]! < 0) first[s] = t;
      observed[s]!++;
    }
  }
  const { lat, lon } = p;
  if (!lat || !lon) return [];
  const metres = (a: number, b: number) => {
    const dx = (lon[b]! - lon[a]!) * Math.cos((lat[a]! * Math.PI) / 180);
    const dy = lat[b]! - lat[a]!;
    return Math.sqrt(dx * dx + dy * dy) * 111_195;
  };
  const out: OpenedStation[] = [];
  for (let s = 0; s < S; s++) {
    if (first[s]! < afterDays * 24 || observed[s]! < minDays * 24 || !Number.isFinite(lat[s]!) || !Number.isFinite(lon[s]!)) continue;
    let predecessor = false;
    for (let r = 0; r < S && !predecessor; r++) predecessor = r !== s && first[r]! >= 0 && first[r]! < first[s]! && Number.isFinite(lat[r]!) && metres(s, r) < sameSiteMetres;
    if (!predecessor) out.push({ station: s, first: first[s]! });
  }
  return out;
}

/** Age groups (weeks since a station's first hour) the opened stations are scored in. */
export const AGE_GROUPS: readonly { name: string; from: number; to: number }[] = [
  { name: 'week 1', from: 0, to: 1 }, { name: 'week 2', from: 1, to: 2 }, { name: 'weeks 3-4', from: 2, to: 4 },
  { name: 'weeks 5-8', from: 4, to: 8 }, { name: 'weeks 9+', from: 8, to: Infinity },
];

export interface OpenedRow extends Scores {
  model: string;
  /** 'all': every opened station scored; 'balanced': only those observed 8+ weeks, the same stations in every age group up to weeks 5-8. */
  stations_set: 'all' | 'balanced';
  age: string;
  stations: number;
  mean_y: number;
}

/**
 * A rolling backtest (refit every `refitHours`, as in production) over [from, to) scoring only the
 * opened stations, `horizon` h ahead, grouped by the station's age at the scored hour. Hours before
 * a station opened are not scored (they are not observed).
 */
export function openedStationScores(p: FlowPanel, opened: readonly OpenedStation[], o: { from: number; to: number; refitHours: number; horizon: number; model: Partial<StationModelOptions>; onProgress?: (m: string) => void }): OpenedRow[] {
  const first = new Map(opened.map((x) => [x.station, x.first]));
  const r = runBacktest(p, { from: o.from, to: o.to, horizons: [o.horizon], refitHours: o.refitHours, originStep: 1, model: o.model, stations: Int32Array.from(opened, (x) => x.station), onProgress: o.onProgress });
  const out: OpenedRow[] = [];
  const balanced = new Set(opened.filter((x) => x.first >= o.from && x.first + 8 * 168 <= o.to).map((x) => x.station));
  for (const set of ['all', 'balanced'] as const) for (const [key, b] of r.samples) {
    const model = key.slice(0, key.indexOf('@'));
    const point = model === 'gbdt_nb' ? MODEL_POINT : BASELINE_POINT;
    for (const g of AGE_GROUPS) {
      const idx: number[] = [];
      for (let i = 0; i < b.y.length; i++) {
        if (set === 'balanced' && !balanced.has(b.station[i]!)) continue;
        const age = (b.target[i]! - first.get(b.station[i]!)!) / 168;
        if (age >= g.from && age < g.to) idx.push(i);
      }
      if (idx.length === 0) continue;
      const y = idx.map((i) => b.y[i]!);
      out.push({ model, stations_set: set, age: g.name, stations: new Set(idx.map((i) => b.station[i]!)).size, mean_y: y.reduce((a, c) => a + c, 0) / y.length, ...scoreNegBin(y, idx.map((i) => b.mu[i]!), idx.map((i) => b.size[i]!), point) });
    }
  }
  return out;
}

export interface PriorGridRow {
  /** Nearest stations the prior averages, or 'system' for the system-mean profile. */
  neighbours: number | 'system';
  history_days: HistoryDays;
  prior_hours: number;
  level_prior: number;
  n: number;
  /** Mean Poisson deviance of the profile as the forecast mean (lower is better). */
  deviance: number;
  rmse: number;
  mae_mean: number;
}

/**
 * The profile alone (no trees) as a forecast, for choosing the prior: every station observed at
 * least `minDays` days before the cut-off gets the prior from the others' full profiles and its
 * own history cut to k days, and is scored on the `weeks` after the cut-off. Cheap (no fits), so
 * a grid of settings can be compared on many stations; to be run at a cut-off earlier than the
 * one a report scores, so that the choice is not tuned on the reported weeks.
 */
export function priorGrid(p: FlowPanel, cutoff: number, weeks: number, o: { neighbours: (number | 'system')[]; historyDays: HistoryDays[]; shrinkage: [number, number][]; minDays?: number }): PriorGridRow[] {
  const T = p.hours;
  const S = p.stations.length;
  const end = Math.min(T, cutoff + weeks * 168);
  const enough = stationVolume(p, 0, cutoff - (o.minDays ?? 60) * 24);
  const scored: number[] = [];
  for (let s = 0; s < S; s++) if (Number.isFinite(enough[s]!) && (!p.lat || (Number.isFinite(p.lat[s]!) && Number.isFinite(p.lon![s]!)))) scored.push(s);
  const cells = new Uint8Array(T);
  for (let t = 0; t < T; t++) cells[t] = cellOf(p, t);
  const full = { pickups: cellProfile(p, 'pickups', 0, cutoff, 'exclude'), returns: cellProfile(p, 'returns', 0, cutoff, 'exclude') };
  const own = new Map<HistoryDays, Record<Flow, CellProfile>>();
  for (const k of o.historyDays) own.set(k, k === 'all' ? full : { pickups: cellProfile(p, 'pickups', cutoff - k * 24, cutoff, 'exclude'), returns: cellProfile(p, 'returns', cutoff - k * 24, cutoff, 'exclude') });
  const out: PriorGridRow[] = [];
  for (const nb of o.neighbours) {
    const near = nb === 'system' ? null : nearestStations(p, nb);
    const prior = { pickups: neighbourPrior(full.pickups, near, S), returns: neighbourPrior(full.returns, near, S) };
    for (const k of o.historyDays) {
      // Without own hours the shrinkage does not matter: one row.
      for (const [kk, a] of k === 0 ? [o.shrinkage[0]!] : o.shrinkage) {
        let dev = 0;
        let se = 0;
        let ae = 0;
        let n = 0;
        for (const flow of FLOWS) {
          const prof = shrunkProfile(own.get(k)![flow], prior[flow], kk, a);
          const y = flowValues(p, flow);
          for (const s of scored) {
            for (let t = cutoff; t < end; t++) {
              const i = s * T + t;
              if (!usable(p, flow, i, 'exclude')) continue;
              const v = y[i]!;
              const mu = Math.max(1e-3, prof[s * CELLS + cells[t]!]!);
              dev += 2 * ((v > 0 ? v * Math.log(v / mu) : 0) - (v - mu));
              se += (v - mu) ** 2;
              ae += Math.abs(v - mu);
              n++;
            }
          }
        }
        out.push({ neighbours: nb, history_days: k, prior_hours: k === 0 ? Number.NaN : kk, level_prior: k === 0 ? Number.NaN : a, n, deviance: dev / n, rmse: Math.sqrt(se / n), mae_mean: ae / n });
      }
    }
  }
  return out;
}
