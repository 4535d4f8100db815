// Gradient-boosted regression trees with a Poisson objective (log link), histogram-based.
//
// Written here because no well-kept JavaScript library fits: the npm lists hold only unmaintained
// XGBoost ports (ml-xgboost 1.1, scorers without training) and CART/random forests without a count
// objective. The algorithm is the standard one (Friedman 2001; histogram splits and leaf-wise growth
// as in LightGBM; Poisson gradients and max_delta_step as in XGBoost): compact and tested in
// gbdt.test.ts on data with known rates.
//
// Features are pre-binned to bytes (bin 0 = missing), so training touches Uint8Arrays only.

export interface GbdtOptions {
  trees: number;
  learningRate: number;
  maxLeaves: number;
  /** Minimum hessian sum (sum of w * mu) in a leaf. */
  minHessian: number;
  /** Minimum rows in a leaf. */
  minRows: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  /** Share of rows drawn (without replacement) for each tree. */
  rowSample: number;
  /** Largest step of a leaf in log space (XGBoost's max_delta_step for Poisson). */
  maxDeltaStep: number;
  seed: number;
}

export const DEFAULT_GBDT: GbdtOptions = {
  trees: 120, learningRate: 0.1, maxLeaves: 31, minHessian: 5, minRows: 50, lambda: 1, rowSample: 0.5, maxDeltaStep: 0.7, seed: 1,
};

export const MAX_BINS = 64;

/** Upper edges of each feature's bins; value v goes to bin 1 + #{edges < v}, NaN to bin 0. */
export interface Binner {
  readonly edges: Float64Array[];
}

export interface Tree {
  /** Per node: feature index, or -1 for a leaf. */
  feature: Int16Array;
  /** Per node: rows with bin <= threshold go left. */
  threshold: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface PoissonGbdt {
  binner: Binner;
  baseScore: number;
  trees: Tree[];
  /** Total split gain per feature (for the factors report). */
  gain: Float64Array;
}

/** Random numbers, seeded so fits are reproducible. */
import { mulberry32 as rng } from '../../../platform/util/random.ts';

export { rng };

/** Quantile bin edges per feature from (a sample of) the values. */
export function fitBinner(columns: readonly ArrayLike<number>[], maxBins = MAX_BINS, sample = 50_000, seed = 7): Binner {
  const rand = rng(seed);
  const edges: Float64Array[] = [];
  for (const col of columns) {
    const n = col.length;
    const take = Math.min(n, sample);
    const buf = new Float64Array(take);
    let m = 0;
    for (let i = 0; i < take; i++) {
      const v = col[take === n ? i : Math.floor(rand() * n)]!;
      if (!Number.isNaN(v)) buf[m++] = v;
    }
    const vals = buf.subarray(0, m).sort(); // typed-array sort is numeric
    const uniq: number[] = [];
    for (let i = 0; i < m && uniq.length < maxBins; i++) if (uniq.length === 0 || uniq[uniq.length - 1] !== vals[i]) uniq.push(vals[i]!);
    const cuts: number[] = [];
    if (uniq.length <= maxBins - 1) {
      for (let i = 0; i < uniq.length - 1; i++) cuts.push((uniq[i]! + uniq[i + 1]!) / 2);
    } else {
      for (let k = 1; k < maxBins - 1; k++) {
        const v = vals[Math.floor((k * m) / (maxBins - 1))]!;
        if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
      }
    }
    edges.push(Float64Array.from(cuts));
  }
  return { edges };
}

export function binValue(edges: Float64Array, v: number): number {
  if (Number.isNaN(v)) return 0;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

export function binColumns(binner: Binner, columns: readonly ArrayLike<number>[]): Uint8Array[] {
  return columns.map((col, f) => {
    const e = binner.edges[f]!;
    const out = new Uint8Array(col.length);
    for (let i = 0; i < col.length; i++) out[i] = binValue(e, col[i]!);
    return out;
  });
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  gl: number;
  hl: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  g: number;
  h: number;
  hist: Float64Array;
  split: Split | null;
}

const NB = 256;

/**
 * Fit on binned columns X (one Uint8Array per feature), counts y, optional weights w (0 drops a
 * row, e.g. a censored hour) and optional offset (log of a base rate the trees correct).
 */
export function fitPoissonGbdt(
  X: readonly Uint8Array[],
  y: ArrayLike<number>,
  binner: Binner,
  options: Partial<GbdtOptions> = {},
  w?: ArrayLike<number> | null,
  offset?: ArrayLike<number> | null,
): PoissonGbdt {
  const o = { ...DEFAULT_GBDT, ...options };
  const n = y.length;
  const nf = X.length;
  const weight = (i: number) => (w ? w[i]! : 1);
  // Base score: the log ratio of observed to offset-expected totals.
  let sy = 0;
  let se = 0;
  for (let i = 0; i < n; i++) {
    const wi = weight(i);
    if (wi <= 0) continue;
    sy += wi * y[i]!;
    se += wi * (offset ? Math.exp(offset[i]!) : 1);
  }
  const baseScore = sy > 0 && se > 0 ? Math.log(sy / se) : -5;
  const F = new Float64Array(n);
  for (let i = 0; i < n; i++) F[i] = baseScore + (offset ? offset[i]! : 0);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const active: number[] = [];
  for (let i = 0; i < n; i++) if (weight(i) > 0) active.push(i);
  const activeRows = Uint32Array.from(active);
  const rand = rng(o.seed);
  const trees: Tree[] = [];
  const gain = new Float64Array(nf);
  const rows = new Uint32Array(activeRows.length);

  for (let t = 0; t < o.trees; t++) {
    // Row sample for this tree (Bernoulli draw over the active rows).
    let m = 0;
    for (let k = 0; k < activeRows.length; k++) if (o.rowSample >= 1 || rand() < o.rowSample) rows[m++] = activeRows[k]!;
    for (let k = 0; k < m; k++) {
      const i = rows[k]!;
      const mu = Math.exp(F[i]!);
      const wi = weight(i);
      grad[i] = wi * (mu - y[i]!);
      hess[i] = wi * mu;
    }
    const tree = growTree(X, rows, m, grad, hess, o, gain);
    trees.push(tree);
    for (let i = 0; i < n; i++) F[i] = F[i]! + treeValue(tree, X, i);
  }
  return { binner, baseScore, trees, gain };
}

function growTree(
  X: readonly Uint8Array[], rows: Uint32Array, m: number, grad: Float64Array, hess: Float64Array, o: GbdtOptions, gainOut: Float64Array,
): Tree {
  const nf = X.length;
  const feature: number[] = [-1];
  const threshold: number[] = [0];
  const left: number[] = [-1];
  const right: number[] = [-1];
  const value: number[] = [0];
  const rootHist = buildHist(X, rows, 0, m, grad, hess, nf);
  let g = 0;
  let h = 0;
  for (let k = 0; k < m; k++) {
    g += grad[rows[k]!]!;
    h += hess[rows[k]!]!;
  }
  const leafValue = (lg: number, lh: number) => {
    const v = (-lg / (lh + o.lambda)) * o.learningRate;
    return Math.max(-o.maxDeltaStep, Math.min(o.maxDeltaStep, v));
  };
  value[0] = leafValue(g, h);
  const leaves: Leaf[] = [{ node: 0, start: 0, end: m, g, h, hist: rootHist, split: null }];
  leaves[0]!.split = bestSplit(rootHist, g, h, m, nf, o);
  while (leaves.length < o.maxLeaves) {
    let best = -1;
    for (let k = 0; k < leaves.length; k++) {
      const s = leaves[k]!.split;
      if (s && s.gain > 1e-9 && (best < 0 || s.gain > leaves[best]!.split!.gain)) best = k;
    }
    if (best < 0) break;
    const leaf = leaves[best]!;
    const s = leaf.split!;
    gainOut[s.feature] = gainOut[s.feature]! + s.gain;
    // Partition rows in place: bin <= s.bin to the front.
    const col = X[s.feature]!;
    let i = leaf.start;
    let j = leaf.end - 1;
    while (i <= j) {
      if (col[rows[i]!]! <= s.bin) i++;
      else {
        const tmp = rows[i]!;
        rows[i] = rows[j]!;
        rows[j] = tmp;
        j--;
      }
    }
    const mid = i;
    const nl = mid - leaf.start;
    const nr = leaf.end - mid;
    const smallIsLeft = nl <= nr;
    const small = smallIsLeft ? buildHist(X, rows, leaf.start, mid, grad, hess, nf) : buildHist(X, rows, mid, leaf.end, grad, hess, nf);
    const large = leaf.hist; // reuse the parent's buffer: parent - small
    for (let k = 0; k < large.length; k++) large[k] = large[k]! - small[k]!;
    const lh = smallIsLeft ? small : large;
    const rh = smallIsLeft ? large : small;
    const ln = feature.length;
    const rn = ln + 1;
    feature.push(-1, -1);
    threshold.push(0, 0);
    left.push(-1, -1);
    right.push(-1, -1);
    const gr = leaf.g - s.gl;
    const hr = leaf.h - s.hl;
    value.push(leafValue(s.gl, s.hl), leafValue(gr, hr));
    feature[leaf.node] = s.feature;
    threshold[leaf.node] = s.bin;
    left[leaf.node] = ln;
    right[leaf.node] = rn;
    const lLeaf: Leaf = { node: ln, start: leaf.start, end: mid, g: s.gl, h: s.hl, hist: lh, split: null };
    const rLeaf: Leaf = { node: rn, start: mid, end: leaf.end, g: gr, h: hr, hist: rh, split: null };
    lLeaf.split = bestSplit(lh, lLeaf.g, lLeaf.h, nl, nf, o);
    rLeaf.split = bestSplit(rh, rLeaf.g, rLeaf.h, nr, nf, o);
    leaves.splice(best, 1, lLeaf, rLeaf);
  }
  return {
    feature: Int16Array.from(feature), threshold: Uint8Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right),
    value: Float64Array.from(value),
  };
}

/** Histogram layout: per feature and bin, [sum grad, sum hess, count]. */
function buildHist(X: readonly Uint8Array[], rows: Uint32Array, start: number, end: number, grad: Float64Array, hess: Float64Array, nf: number): Float64Array {
  const hist = new Float64Array(nf * NB * 3);
  for (let f = 0; f < nf; f++) {
    const col = X[f]!;
    const base = f * NB * 3;
    for (let k = start; k < end; k++) {
      const r = rows[k]!;
      const b = base + col[r]! * 3;
      hist[b] = hist[b]! + grad[r]!;
      hist[b + 1] = hist[b + 1]! + hess[r]!;
      hist[b + 2] = hist[b + 2]! + 1;
    }
  }
  return hist;
}

function bestSplit(hist: Float64Array, g: number, h: number, n: number, nf: number, o: GbdtOptions): Split | null {
  const parent = (g * g) / (h + o.lambda);
  let best: Split | null = null;
  for (let f = 0; f < nf; f++) {
    const base = f * NB * 3;
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let b = 0; b < NB - 1; b++) {
      const k = base + b * 3;
      gl += hist[k]!;
      hl += hist[k + 1]!;
      nl += hist[k + 2]!;
      if (nl === 0) continue;
      if (nl >= n) break;
      if (hl < o.minHessian || nl < o.minRows) continue;
      const hr = h - hl;
      if (hr < o.minHessian || n - nl < o.minRows) break;
      const gr = g - gl;
      const gain = (gl * gl) / (hl + o.lambda) + (gr * gr) / (hr + o.lambda) - parent;
      if (!best || gain > best.gain) best = { gain, feature: f, bin: b, gl, hl };
    }
  }
  return best;
}

function treeValue(tree: Tree, X: readonly Uint8Array[], i: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = X[tree.feature[node]!]![i]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

/** Log rates for binned rows: baseScore + offset + sum of trees. */
export function predictLog(model: PoissonGbdt, X: readonly Uint8Array[], offset?: ArrayLike<number> | null, trees = model.trees.length): Float64Array {
  const n = X[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = model.baseScore + (offset ? offset[i]! : 0);
    for (let t = 0; t < trees; t++) s += treeValue(model.trees[t]!, X, i);
    out[i] = s;
  }
  return out;
}
