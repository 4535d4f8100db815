// The forecast's spread (대여소별 수요편차): negative-binomial counts are Poisson counts whose rate
// is multiplied by a gamma-distributed factor G (mean 1, variance 1/shape). We take ONE factor for
// pickups and one for returns, each shared by the whole horizon (a busy afternoon is busy
// throughout), and average the exact birth-death results over G with Gauss quadrature for the
// gamma density (generalized Gauss-Laguerre, nodes and weights by Golub-Welsch: the eigenvalues of
// the Jacobi matrix, from ml-matrix). With Q points per factor the average is exact for any
// result that is a polynomial of degree < 2Q in G, and the results here are smooth in G.
//
// The shape is chosen so that the horizon TOTAL has the variance the forecast implies: with hourly
// means m_h and NB sizes r_h (var = m_h + m_h^2 / r_h), Var(total) = M + sum m_h^2 / r_h, and a
// shared factor gives M + M^2 / k, so k = M^2 / sum(m_h^2 / r_h).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { accumulateTransient, emptyCurves, Workspace, type HorizonRates, type TransientCurves } from './birth-death.ts';

export interface Quadrature {
  /** Multipliers of the rate (mean 1 under the weights). */
  nodes: number[];
  /** Probabilities, summing to 1. */
  weights: number[];
}

/** Above this shape the spread is negligible: a single point G = 1 (plain Poisson). */
export const POISSON_SHAPE = 1e6;

const cache = new Map<string, Quadrature>();

/** Gauss quadrature with `points` nodes for G ~ Gamma(shape, scale 1/shape). */
export function gammaQuadrature(shape: number, points: number): Quadrature {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (points < 1 || !Number.isInteger(points)) throw new RangeError(`quadrature points must be an integer >= 1, got ${points}`);
  if (points === 1 || shape >= POISSON_SHAPE) return { nodes: [1], weights: [1] };
  const key = `${shape}|${points}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // Jacobi matrix of the monic generalized Laguerre polynomials, weight x^alpha e^-x.
  const alpha = shape - 1;
  const J = Matrix.zeros(points, points);
  for (let i = 0; i < points; i++) {
    J.set(i, i, 2 * i + alpha + 1);
    if (i > 0) {
      const b = Math.sqrt(i * (i + alpha));
      J.set(i, i - 1, b);
      J.set(i - 1, i, b);
    }
  }
  const evd = new EigenvalueDecomposition(J, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const pairs = values.map((x, i) => {
    const v0 = vectors.get(0, i);
    let norm = 0;
    for (let r = 0; r < points; r++) norm += vectors.get(r, i) ** 2;
    return { node: x / shape, weight: (v0 * v0) / norm };
  });
  pairs.sort((a, b) => a.node - b.node);
  const total = pairs.reduce((s, p) => s + p.weight, 0);
  const q: Quadrature = { nodes: pairs.map((p) => p.node), weights: pairs.map((p) => p.weight / total) };
  if (cache.size > 10_000) cache.clear();
  cache.set(key, q);
  return q;
}

/**
 * Shape of the shared horizon factor from hourly means and NB sizes (Infinity or absent = Poisson).
 * Returns Infinity when there is no overdispersion or no demand.
 */
export function horizonShape(means: ArrayLike<number>, sizes: ArrayLike<number> | undefined): number {
  if (!sizes) return Infinity;
  let total = 0, extra = 0;
  for (let h = 0; h < means.length; h++) {
    const m = means[h]!;
    const r = sizes[h]!;
    total += m;
    if (Number.isFinite(r) && r > 0) extra += (m * m) / r;
  }
  if (total <= 0 || extra <= 0) return Infinity;
  return (total * total) / extra;
}

export interface Spread {
  /** Gamma shape of the pickups' factor (Infinity = no spread). */
  pickupShape: number;
  /** Gamma shape of the returns' factor. */
  returnShape: number;
  /** Quadrature points per factor (the work grows with its square). */
  points: number;
}

/** The four curves averaged over the two gamma factors. */
export function mixedCurves(capacity: number, rates: HorizonRates, spread: Spread, ws: Workspace = new Workspace()): TransientCurves {
  const out = emptyCurves(capacity);
  const qp = gammaQuadrature(Math.min(spread.pickupShape, POISSON_SHAPE), spread.points);
  const qr = gammaQuadrature(Math.min(spread.returnShape, POISSON_SHAPE), spread.points);
  for (let i = 0; i < qp.nodes.length; i++) {
    for (let j = 0; j < qr.nodes.length; j++) {
      accumulateTransient(capacity, rates, qp.nodes[i]!, qr.nodes[j]!, qp.weights[i]! * qr.weights[j]!, out, ws);
    }
  }
  return out;
}
