// Exact optimum of a small visit_all instance in OUR model, by an independent MIP solved with CBC
// (Debian package coinor-cbc; this script is a check, the engine never uses it). It answers "is this
// proven optimum reachable in our model at all?" without trusting the heuristic.
//   node --import tsx bench/sbrp-exact.ts <dellamico file> [--time-limit S]
// The model, the one of read/dellamico.ts written as a one-commodity flow MIP:
//   x_ij = 1 when a truck drives i -> j (cost[i][j], row = from), f_ij = its load on that arc;
//   every station has one arc in and one out; the depot as many out as in (fleet unlimited);
//   at station i, load out - load in = demand_i (whole demand, one visit); 0 <= f_ij <= Q x_ij,
//   tightened by what the stops at both ends need; the load leaving the depot is free (no balance).
// Cycles that avoid the depot are cut lazily: solve, find such cycles, add sum x(S) <= |S| - 1 for
// each, solve again, until the solution is a set of depot routes. The last solve is then optimal.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDellAmico } from '../src/rebalancing/routing/read/dellamico.ts';
import { checkSolution, type CheckedRoute } from '../src/rebalancing/routing/checker.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: bench/sbrp-exact.ts <dellamico instance> [--time-limit S]');
const tl = process.argv.indexOf('--time-limit');
const timeLimit = tl > 0 ? Number(process.argv[tl + 1]) : 3600;
const inst = readDellAmico(file);
const n = inst.ids.length;
const Q = inst.capacity;
const q = Array.from(inst.demand);
const c = (i: number, j: number) => inst.cost[i * n + j]!;

const cuts: number[][] = [];
const dir = mkdtempSync(join(tmpdir(), 'sbrp-exact-'));
const started = Date.now();

function lp(): string {
  const L: string[] = ['Minimize', ' obj: ' + arcs().map(([i, j]) => `${c(i, j)} x_${i}_${j}`).join(' + '), 'Subject To'];
  for (let i = 1; i < n; i++) {
    L.push(` out_${i}: ` + others(i).map((j) => `x_${i}_${j}`).join(' + ') + ' = 1');
    L.push(` in_${i}: ` + others(i).map((j) => `x_${j}_${i}`).join(' + ') + ' = 1');
    // Load out of i minus load into i is what i hands over (collect > 0).
    L.push(` flow_${i}: ` + others(i).map((j) => `f_${i}_${j}`).join(' + ') + ' - ' + others(i).map((j) => `f_${j}_${i}`).join(' - ') + ` = ${q[i]}`);
  }
  L.push(' depot: ' + others(0).map((j) => `x_0_${j}`).join(' + ') + ' - ' + others(0).map((j) => `x_${j}_0`).join(' - ') + ' = 0');
  for (const [i, j] of arcs()) {
    // Leaving i the load is at least q_i (collected there) and at most Q + q_i (dropped there);
    // arriving at j it is at least -q_j (to drop) and at most Q - q_j (room to collect).
    const lo = Math.max(0, i === 0 ? 0 : q[i]!, j === 0 ? 0 : -q[j]!);
    const hi = Math.min(Q, i === 0 ? Q : Q + q[i]!, j === 0 ? Q : Q - q[j]!);
    L.push(` ub_${i}_${j}: f_${i}_${j} - ${hi} x_${i}_${j} <= 0`);
    if (lo > 0) L.push(` lb_${i}_${j}: f_${i}_${j} - ${lo} x_${i}_${j} >= 0`);
    if (hi < lo) L.push(` no_${i}_${j}: x_${i}_${j} = 0`);
  }
  cuts.forEach((S, k) => {
    const terms: string[] = [];
    for (const i of S) for (const j of S) if (i !== j) terms.push(`x_${i}_${j}`);
    L.push(` sec_${k}: ` + terms.join(' + ') + ` <= ${S.length - 1}`);
  });
  L.push('Bounds');
  for (const [i, j] of arcs()) L.push(` 0 <= f_${i}_${j} <= ${Q}`);
  L.push('Binary');
  for (const [i, j] of arcs()) L.push(` x_${i}_${j}`);
  L.push('End');
  return L.join('\n') + '\n';
}
function others(i: number): number[] {
  return Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
}
function arcs(): [number, number][] {
  const a: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) a.push([i, j]);
  return a;
}

for (let round = 1; ; round++) {
  const lpFile = join(dir, 'm.lp');
  const solFile = join(dir, 'm.sol');
  writeFileSync(lpFile, lp());
  const left = Math.max(1, timeLimit - (Date.now() - started) / 1000);
  const log = execFileSync('cbc', [lpFile, 'sec', String(Math.floor(left)), 'threads', '1', 'solve', 'solu', solFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const status = readFileSync(solFile, 'utf8').split('\n')[0] ?? '';
  const succ = new Map<number, number[]>();
  for (const line of readFileSync(solFile, 'utf8').split('\n').slice(1)) {
    const m = /\s*\d+\s+x_(\d+)_(\d+)\s+([\d.eE+-]+)/.exec(line);
    if (m && Number(m[3]) > 0.5) {
      const i = Number(m[1]);
      succ.set(i, [...(succ.get(i) ?? []), Number(m[2])]);
    }
  }
  // Walk the routes from the depot; what is left over forms cycles that avoid it.
  const routes: number[][] = [];
  const seen = new Set<number>([0]);
  for (const first of succ.get(0) ?? []) {
    const r: number[] = [];
    for (let v = first; v !== 0; v = succ.get(v)![0]!) {
      r.push(v);
      seen.add(v);
    }
    routes.push(r);
  }
  const found: number[][] = [];
  for (let s = 1; s < n; s++) {
    if (seen.has(s)) continue;
    const S: number[] = [];
    for (let v = s; !seen.has(v); v = succ.get(v)![0]!) {
      S.push(v);
      seen.add(v);
    }
    found.push(S);
  }
  const bound = /Objective value:\s+([\d.eE+-]+)/.exec(log)?.[1];
  console.log(`round ${round}: ${status.trim()}; objective ${bound}; ${found.length} cycle(s) off the depot; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (found.length === 0 || !status.startsWith('Optimal')) {
    const objective = routes.reduce((s, r) => s + c(0, r[0]!) + r.slice(1).reduce((t, v, k) => t + c(r[k]!, v), 0) + c(r[r.length - 1]!, 0), 0);
    // The MIP's plan goes through the engine's own checker too (loads reconstructed, whole demands).
    const plan: CheckedRoute[] = routes.map((r) => ({
      stops: r.map((v) => (q[v]! >= 0 ? { id: inst.ids[v]!, collect: q[v]! } : { id: inst.ids[v]!, drop: -q[v]! })),
    }));
    const check = checkSolution(inst, plan, objective);
    console.log(`${inst.name}: ${status.startsWith('Optimal') && found.length === 0 ? 'optimum' : 'NOT proven (time limit)'} ${objective} with ${routes.length} route(s); checker ${check.ok ? 'accepts it' : 'rejects it: ' + check.errors.slice(0, 2).join('; ')}`);
    console.log(JSON.stringify(routes));
    break;
  }
  cuts.push(...found);
}
