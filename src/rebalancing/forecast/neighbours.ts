// Nearby stations and the shrunk station profile: a station with little history borrows the
// profile of its neighbourhood (or of the whole system without coordinates) and moves towards its
// own as observations accumulate (empirical-Bayes style shrinkage in two steps: the station's
// overall level first, its hour x day-type cells second).
//
// The constants were chosen on the real Bay Wheels data at an earlier cut-off (2023-04-06, the
// profile alone scored on the following 4 weeks for all 512 stations with 60+ days of history,
// their own history cut to 7 or 28 days), not on the weeks the new-station report scores
// (docs/forecast.md, "New stations"). Mean Poisson deviance there, 7 / 28 days of history:
// cells shrunk to the raw neighbour prior with weight 4 (the earlier rule) 0.790 / 0.771;
// with the level step (LEVEL_PRIOR 5) and weight 16: 0.757 / 0.750; full history 0.735 -> 0.729.
// Among the neighbourhood priors themselves (no history) the 8 nearest stations, unweighted,
// were as good as any variant tried (4/16/32 nearest, Gaussian distance weights of 300 m-1.2 km,
// scaling by the station's dock count: all within 0.5% deviance, several worse), and 26% better
// than the system-mean profile.
import { CELLS, type CellProfile } from './baselines.ts';
import type { FlowPanel } from './panel.ts';

export const NEIGHBOURS = 8;
/** Observations of a cell the (level-adjusted) prior is worth. */
export const PRIOR_HOURS = 16;
/**
 * Expected counts the neighbourhood's level is worth in the station's level ratio: a week of a
 * station's own hours (typically 50+ expected counts) moves its whole profile, not only the cells
 * it has seen, while a few hours barely do. 0 disables the level step (the earlier rule).
 */
export const LEVEL_PRIOR = 5;

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

/**
 * The shrunk profile of each station s:
 *   level r_s = (own total + a) / (prior expected over the same hours + a),
 *   cell c:   (own sum_c + k * r_s * prior_c) / (own count_c + k).
 * Without own hours r_s = 1 and the profile is the prior; with many the own means dominate. The
 * level step matters for a new station: a week gives each cell only 1-5 hours, far too few to
 * move it, but ~168 hours in all, enough to tell a busy station from a quiet one.
 * `a` <= 0 skips the level step (r_s = 1).
 */
export function shrunkProfile(prof: CellProfile, prior: Float64Array, k = PRIOR_HOURS, a = LEVEL_PRIOR): Float64Array {
  const out = new Float64Array(prof.mean.length);
  const S = prof.mean.length / CELLS;
  for (let s = 0; s < S; s++) {
    let own = 0;
    let expected = 0;
    for (let c = s * CELLS; c < (s + 1) * CELLS; c++) {
      const n = prof.count[c]!;
      if (n > 0) {
        own += prof.mean[c]! * n;
        expected += prior[c]! * n;
      }
    }
    const r = a > 0 ? (own + a) / (expected + a) : 1;
    for (let c = s * CELLS; c < (s + 1) * CELLS; c++) {
      const n = prof.count[c]!;
      const sum = n > 0 ? prof.mean[c]! * n : 0;
      out[c] = (sum + k * r * prior[c]!) / (n + k);
    }
  }
  return out;
}
