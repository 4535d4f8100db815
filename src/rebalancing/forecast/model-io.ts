// A fitted station model as JSON (stored in forecast_models.params) and back. The panel is not
// stored: prediction reloads the flows before its origin and rebuilds the prefix sums.
import type { StationId } from '../../platform/ids.ts';
import type { Factors } from './factors.ts';
import { FEATURES, featureContext, otherFlow, prefixSums } from './features.ts';
import { UserError } from '../../platform/errors.ts';
import type { PoissonGbdt, Tree } from './models/gbdt.ts';
import type { FlowModel, StationModel, StationModelOptions } from './models/station-gbdt.ts';
import { FLOWS, type Flow, type FlowPanel } from './panel.ts';

export interface SavedFlow {
  gbdt: { baseScore: number; edges: number[][]; gain: number[]; trees: { f: number[]; t: number[]; l: number[]; r: number[]; v: number[] }[] };
  profile: number[];
  prior: number[];
  alpha: number[];
  calibrationScale: number;
}

export interface SavedModel {
  format: 1;
  name: string;
  /** The feature columns the trees index (a model saved before a feature was added cannot be restored). */
  features?: string[];
  /** Cut-off instant (ms): hours before it were used. */
  cutoff: number;
  dataFrom: number;
  stations: StationId[];
  options: StationModelOptions;
  flows: Record<Flow, SavedFlow>;
  factors: Record<Flow, Factors>;
}

const round = (a: ArrayLike<number>, digits = 6) => Array.from(a, (v) => Number(v.toPrecision(digits)));

export function saveModel(m: StationModel): SavedModel {
  const p = m.flows.pickups.ctx.panel;
  const flows = {} as Record<Flow, SavedFlow>;
  for (const f of FLOWS) {
    const fm = m.flows[f];
    flows[f] = {
      gbdt: {
        baseScore: fm.gbdt.baseScore, edges: fm.gbdt.binner.edges.map((e) => Array.from(e)), gain: Array.from(fm.gbdt.gain),
        trees: fm.gbdt.trees.map((t) => ({ f: Array.from(t.feature), t: Array.from(t.threshold), l: Array.from(t.left), r: Array.from(t.right), v: Array.from(t.value) })),
      },
      profile: round(fm.ctx.profile), prior: round(fm.ctx.prior), alpha: round(fm.alpha), calibrationScale: fm.calibrationScale,
    };
  }
  return {
    format: 1, name: m.name, features: [...FEATURES], cutoff: p.start + m.cutoff * 3_600_000, dataFrom: p.start, stations: [...p.stations], options: m.options, flows,
    factors: m.factors,
  };
}

function loadGbdt(g: SavedFlow['gbdt']): PoissonGbdt {
  const trees: Tree[] = g.trees.map((t) => ({
    feature: Int16Array.from(t.f), threshold: Uint8Array.from(t.t), left: Int32Array.from(t.l), right: Int32Array.from(t.r), value: Float64Array.from(t.v),
  }));
  return { baseScore: g.baseScore, binner: { edges: g.edges.map((e) => Float64Array.from(e)) }, trees, gain: Float64Array.from(g.gain) };
}

/**
 * Attach a saved model to a panel whose stations are the model's (in its order; see alignPanel).
 * Returns a StationModel whose feature contexts read the new panel.
 */
export function restoreModel(saved: SavedModel, panel: FlowPanel): StationModel {
  if (saved.features?.join(',') !== FEATURES.join(',')) {
    throw new UserError(`the stored ${saved.name} model was fitted with other features (${saved.features?.length ?? 'an older list of'} vs ${FEATURES.length} now): run 'urbanlab forecast fit' again`);
  }
  const flows = {} as Record<Flow, FlowModel>;
  const profile = { pickups: Float64Array.from(saved.flows.pickups.profile), returns: Float64Array.from(saved.flows.returns.profile) };
  const prefix = { pickups: prefixSums(panel, 'pickups', saved.options.censoring, profile.pickups), returns: prefixSums(panel, 'returns', saved.options.censoring, profile.returns) };
  for (const f of FLOWS) {
    const g = otherFlow(f);
    const sf = saved.flows[f];
    const ctx = featureContext(panel, f, saved.options.censoring, profile[f], profile[g], Float64Array.from(sf.prior), prefix[f], prefix[g]);
    flows[f] = { flow: f, ctx, gbdt: loadGbdt(sf.gbdt), alpha: Float64Array.from(sf.alpha), calibrationScale: sf.calibrationScale };
  }
  return { name: saved.name, cutoff: Math.round((saved.cutoff - panel.start) / 3_600_000), options: saved.options, flows, factors: saved.factors };
}

/** The panel re-indexed to the model's stations (stations unknown to the model are dropped and counted). */
export function alignPanel(panel: FlowPanel, stations: readonly StationId[]): { panel: FlowPanel; dropped: number } {
  const index = new Map(panel.stations.map((s, i) => [s, i]));
  const T = panel.hours;
  const S = stations.length;
  const mk = (fill: number) => new Float32Array(S * T).fill(fill);
  const out = { pickups: mk(Number.NaN), returns: mk(Number.NaN), emptyShare: mk(0), fullShare: mk(0) };
  const lat = new Float64Array(S).fill(Number.NaN);
  const lon = new Float64Array(S).fill(Number.NaN);
  const src = panel.stock ?? null;
  const stock = src ? { bikes: mk(Number.NaN), ebikes: mk(Number.NaN), docks: mk(Number.NaN) } : null;
  stations.forEach((id, s) => {
    const r = index.get(id);
    if (r === undefined) return;
    for (const k of ['pickups', 'returns', 'emptyShare', 'fullShare'] as const) out[k].set(panel[k].subarray(r * T, (r + 1) * T), s * T);
    if (src && stock) for (const k of ['bikes', 'ebikes', 'docks'] as const) stock[k].set(src[k].subarray(r * T, (r + 1) * T), s * T);
    if (panel.lat && panel.lon) {
      lat[s] = panel.lat[r]!;
      lon[s] = panel.lon[r]!;
    }
  });
  const known = new Set(stations);
  const dropped = panel.stations.filter((s) => !known.has(s)).length;
  return { panel: { ...panel, stations, ...out, stock, lat: panel.lat ? lat : null, lon: panel.lon ? lon : null }, dropped };
}
