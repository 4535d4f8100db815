// Censoring: an empty station records no pickups however many riders came (a full one, no
// returns). The model drops hours with at least CENSORED_SHARE of the observed minutes empty (full)
// from fitting pickups (returns) and from the profiles, instead of reading them as low demand.
// This experiment measures what that changes on the stations that are most often empty, scoring
// both variants on their uncensored hours (the only ones whose outcome is the demand).
import { runBacktest, type BacktestOptions } from './backtest.ts';
import type { Scores } from './metrics.ts';
import { CENSORED_SHARE, type FlowPanel } from './panel.ts';

export interface CensoringRow extends Scores {
  censoring: 'exclude' | 'ignore';
  horizon_h: number;
  stations: number;
  /** Mean forecast / mean outcome on the scored hours (1 = unbiased). */
  bias_ratio: number;
}

/** Stations ranked by the share of their observed hours that were censored for pickups. */
export function oftenEmptyStations(p: FlowPanel, share = 0.1, before = p.hours): { stations: Int32Array; emptyShare: Float64Array } {
  const S = p.stations.length;
  const frac = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let n = 0, c = 0;
    for (let t = 0; t < before; t++) {
      const i = s * p.hours + t;
      if (Number.isNaN(p.pickups[i]!)) continue;
      n++;
      if (p.emptyShare[i]! >= CENSORED_SHARE) c++;
    }
    frac[s] = n ? c / n : 0;
  }
  const order = Array.from({ length: S }, (_, s) => s).sort((a, b) => frac[b]! - frac[a]!);
  return { stations: Int32Array.from(order.slice(0, Math.max(1, Math.round(share * S)))), emptyShare: frac };
}

export function censoringExperiment(p: FlowPanel, o: Omit<BacktestOptions, 'stations' | 'model'> & { model?: BacktestOptions['model'] }, share = 0.1): CensoringRow[] {
  const { stations } = oftenEmptyStations(p, share, o.from);
  const rows: CensoringRow[] = [];
  for (const censoring of ['exclude', 'ignore'] as const) {
    const r = runBacktest(p, { ...o, stations, model: { ...o.model, censoring } });
    for (const m of r.by_flow) {
      if (m.model !== 'gbdt_nb' || m.flow !== 'pickups') continue;
      const b = r.samples.get(`gbdt_nb@${m.horizon_h}`)!;
      let sy = 0, sm = 0;
      b.flow.forEach((f, k) => { if (f === 0) { sy += b.y[k]!; sm += b.mu[k]!; } });
      rows.push({ ...m, censoring, horizon_h: m.horizon_h, stations: stations.length, bias_ratio: sm / Math.max(1e-9, sy) });
    }
  }
  return rows;
}
