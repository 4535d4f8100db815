// The population of hybrid genetic search (Vidal et al. 2012; Vidal 2022): two subpopulations
// (load-feasible and not), each ranked by a biased fitness that rewards both low cost and distance
// from the others, so that the search keeps diverse good solutions to recombine instead of
// converging on one. Written here: no JavaScript library implements it for this problem.
import type { CostEvaluator } from './cost-evaluator.ts';
import type { Rng } from './rng.ts';
import type { Solution } from './solution.ts';
import { giantTour } from './operators/split.ts';

export interface PopulationParams {
  /** Size each subpopulation is cut back to. */
  minSize: number;
  /** Children added before a cut: a subpopulation holds at most minSize + generation. */
  generation: number;
  /** Best individuals whose cost rank counts nearly alone in the biased fitness. */
  elite: number;
  /** Nearest others whose mean distance measures an individual's diversity. */
  close: number;
}

export const DEFAULT_POPULATION: PopulationParams = { minSize: 25, generation: 40, elite: 4, close: 5 };

export interface Individual {
  readonly sol: Solution;
  readonly tour: number[];
  /** Successor and predecessor of each visit (0: the depot). */
  readonly succ: Int32Array;
  readonly pred: Int32Array;
  /** Distance to each other member of its subpopulation, nearest first. */
  proximity: { d: number; other: Individual }[];
  fitness: number;
}

function individual(sol: Solution, n: number): Individual {
  const succ = new Int32Array(n);
  const pred = new Int32Array(n);
  for (const r of sol.routes) {
    let prev = 0;
    for (const v of r.visits) {
      pred[v] = prev;
      if (prev !== 0) succ[prev] = v;
      prev = v;
    }
    if (prev !== 0) succ[prev] = 0;
  }
  return { sol, tour: giantTour(sol), succ, pred, proximity: [], fitness: 0 };
}

/**
 * Broken-pairs distance: the share of visits whose neighbours differ between the two solutions
 * (a visit counts when its successor in a is neither its successor nor its predecessor in b, so a
 * route walked the other way is not counted as different).
 */
export function brokenPairs(a: Individual, b: Individual): number {
  const n = a.succ.length;
  let d = 0;
  for (let v = 1; v < n; v++) {
    if (a.succ[v] !== b.succ[v] && a.succ[v] !== b.pred[v]) d++;
    else if (a.pred[v] === 0 && b.pred[v] !== 0 && b.succ[v] !== 0) d++;
  }
  return n > 1 ? d / (n - 1) : 0;
}

export class Population {
  readonly feasible: Individual[] = [];
  readonly infeasible: Individual[] = [];

  constructor(
    private readonly n: number,
    private readonly ce: CostEvaluator,
    private readonly rng: Rng,
    readonly params: PopulationParams = DEFAULT_POPULATION,
  ) {}

  get size(): number {
    return this.feasible.length + this.infeasible.length;
  }

  private cost(ind: Individual): number {
    return ind.sol.cost(this.ce);
  }

  add(sol: Solution): void {
    const ind = individual(sol, this.n);
    const group = sol.excess() === 0 ? this.feasible : this.infeasible;
    for (const other of group) {
      const d = brokenPairs(ind, other);
      insertSorted(ind.proximity, { d, other });
      insertSorted(other.proximity, { d, other: ind });
    }
    group.push(ind);
    if (group.length > this.params.minSize + this.params.generation) this.cut(group);
  }

  /** Binary tournament on the biased fitness over both subpopulations. */
  select(): Individual {
    this.rank(this.feasible);
    this.rank(this.infeasible);
    const pick = (): Individual => {
      const k = this.rng.int(0, this.size - 1);
      return k < this.feasible.length ? this.feasible[k]! : this.infeasible[k - this.feasible.length]!;
    };
    const a = pick();
    const b = pick();
    return a.fitness < b.fitness ? a : b;
  }

  /** Forget everything (a restart after a long time without progress). */
  clear(): void {
    this.feasible.length = 0;
    this.infeasible.length = 0;
  }

  private diversity(ind: Individual): number {
    const k = Math.min(this.params.close, ind.proximity.length);
    if (k === 0) return 0;
    let s = 0;
    for (let i = 0; i < k; i++) s += ind.proximity[i]!.d;
    return s / k;
  }

  /** Biased fitness: cost rank + (1 - elite / size) x diversity rank, both as shares (lower is better). */
  private rank(group: Individual[]): void {
    const m = group.length;
    if (m === 0) return;
    if (m === 1) {
      group[0]!.fitness = 0;
      return;
    }
    const byCost = group.map((ind) => ({ ind, c: this.cost(ind), div: this.diversity(ind) })).sort((x, y) => x.c - y.c);
    const costRank = new Map<Individual, number>();
    byCost.forEach((x, i) => costRank.set(x.ind, i / (m - 1)));
    const byDiv = byCost.slice().sort((x, y) => y.div - x.div);
    const weight = 1 - Math.min(this.params.elite, m) / m;
    byDiv.forEach((x, i) => {
      x.ind.fitness = costRank.get(x.ind)! + weight * (i / (m - 1));
    });
  }

  /** Cut a subpopulation back to minSize: clones first, then the worst biased fitness. */
  private cut(group: Individual[]): void {
    while (group.length > this.params.minSize) {
      this.rank(group);
      let worst = -1;
      let worstClone = false;
      for (let i = 0; i < group.length; i++) {
        const ind = group[i]!;
        const clone = ind.proximity.length > 0 && ind.proximity[0]!.d < 1e-9;
        if (worst < 0 || (clone && !worstClone) || (clone === worstClone && ind.fitness > group[worst]!.fitness)) {
          worst = i;
          worstClone = clone;
        }
      }
      const gone = group.splice(worst, 1)[0]!;
      for (const other of group) {
        const k = other.proximity.findIndex((p) => p.other === gone);
        if (k >= 0) other.proximity.splice(k, 1);
      }
    }
  }
}

function insertSorted(list: { d: number; other: Individual }[], item: { d: number; other: Individual }): void {
  let k = list.length;
  while (k > 0 && list[k - 1]!.d > item.d) k--;
  list.splice(k, 0, item);
}
