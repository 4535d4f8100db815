// New stations (공공자전거 확충): how good is the forecast for a station with little or no history?
// The experiment hides the history of chosen stations before (cut-off - k days) for several k,
// refits, and scores those stations over the following weeks. With no history a station's profile
// is its neighbourhood's (neighbours.ts); it moves to its own as hours accumulate.
import { scoreNegBin, type Scores } from './metrics.ts';
import { fitStationModel, predictStationModel, type StationModelOptions } from './models/station-gbdt.ts';
import { FLOWS, usable, flowValues, type FlowPanel } from './panel.ts';

export interface NewStationRow extends Scores {
  history_days: number | 'all';
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

export function newStationExperiment(
  p: FlowPanel, cutoff: number, stations: readonly number[], historyDays: readonly (number | 'all')[], scoreHours = 14 * 24, horizon = 3,
  model: Partial<StationModelOptions> = {},
): NewStationRow[] {
  const out: NewStationRow[] = [];
  const end = Math.min(p.hours, cutoff + scoreHours);
  for (const k of historyDays) {
    const panel = k === 'all' ? p : hideHistory(p, stations, cutoff - k * 24);
    const m = fitStationModel(panel, cutoff, model);
    const y: number[] = [];
    const mu: number[] = [];
    const size: number[] = [];
    for (const flow of FLOWS) {
      const st: number[] = [];
      const tt: number[] = [];
      for (const s of stations) for (let t = cutoff + horizon - 1; t < end; t++) if (usable(p, flow, s * p.hours + t, 'exclude')) { st.push(s); tt.push(t); }
      const pred = predictStationModel(m, flow, { station: Int32Array.from(st), target: Int32Array.from(tt), horizon: new Int32Array(st.length).fill(horizon) });
      const v = flowValues(p, flow);
      st.forEach((s, i) => {
        y.push(v[s * p.hours + tt[i]!]!);
        mu.push(pred.mu[i]!);
        size.push(pred.size[i]!);
      });
    }
    out.push({ history_days: k, ...scoreNegBin(y, mu, size) });
  }
  return out;
}
