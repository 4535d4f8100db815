// Nearby stations and the shrunk station profile: a station with little history borrows the
// profile of its neighbourhood (or of the whole system without coordinates) and moves towards its
// own as observations accumulate (empirical-Bayes style shrinkage, prior weight PRIOR_HOURS).
import { CELLS, type CellProfile } from './baselines.ts';
import type { FlowPanel } from './panel.ts';

export const NEIGHBOURS = 8;
/** Observations of a cell the prior is worth. */
export const PRIOR_HOURS = 4;

/** k nearest stations with valid coordinates (equirectangular distance), or null without coordinates. */
export function nearestStations(p: FlowPanel, k = NEIGHBOURS): Int32Array[] | null {
  const { lat, lon } = p;
  if (!lat || !lon) return null;
  const S = p.stations.length;
  const ok = (s: number) => Number.isFinite(lat[s]!) && Number.isFinite(lon[s]!) && !(lat[s] === 0 && lon[s] === 0);
  let valid = 0;
  for (let s = 0; s < S; s++) if (ok(s)) valid++;
  if (valid < 2) return null;
  const out: Int32Array[] = [];
  const d = new Float64Array(S);
  const idx = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    if (!ok(s)) {
      out.push(new Int32Array(0));
      continue;
    }
    const cosLat = Math.cos((lat[s]! * Math.PI) / 180);
    let m = 0;
    for (let r = 0; r < S; r++) {
      if (r === s || !ok(r)) continue;
      const dx = (lon[r]! - lon[s]!) * cosLat;
      const dy = lat[r]! - lat[s]!;
      d[m] = dx * dx + dy * dy;
      idx[m] = r;
      m++;
    }
    const order = Array.from(idx.subarray(0, m).keys()).sort((a, b) => d[a]! - d[b]!).slice(0, k);
    out.push(Int32Array.from(order.map((o) => idx[o]!)));
  }
  return out;
}

/** Per station x cell: the neighbourhood's mean (count-weighted), falling back to the system mean. */
export function neighbourPrior(prof: CellProfile, neighbours: Int32Array[] | null, S: number): Float64Array {
  const prior = new Float64Array(S * CELLS);
  for (let s = 0; s < S; s++) {
    const nb = neighbours?.[s];
    for (let c = 0; c < CELLS; c++) {
      let sum = 0;
      let n = 0;
      if (nb) {
        for (const r of nb) {
          const cnt = prof.count[r * CELLS + c]!;
          if (cnt > 0) {
            sum += prof.mean[r * CELLS + c]!;
            n++;
          }
        }
      }
      prior[s * CELLS + c] = n > 0 ? sum / n : prof.global[c]!;
    }
  }
  return prior;
}

/** The shrunk profile: (own sum + PRIOR_HOURS * prior) / (own count + PRIOR_HOURS). */
export function shrunkProfile(prof: CellProfile, prior: Float64Array, k = PRIOR_HOURS): Float64Array {
  const out = new Float64Array(prof.mean.length);
  for (let i = 0; i < out.length; i++) {
    const n = prof.count[i]!;
    const own = n > 0 ? prof.mean[i]! * n : 0;
    out[i] = (own + k * prior[i]!) / (n + k);
  }
  return out;
}
