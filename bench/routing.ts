// Routing benchmark: the Dell'Amico et al. (2014) SBRP set against its best-known values and the
// seven SLR real-city instances against the published solver's figures. Prints the machine, every
// instance and the averages, with a same-run baseline (the greedy construction alone), and writes
// bench/results/routing.json.
//   npm run bench:routing -- [--set dellamico|slr|all] [--time-limit S] [--only a,b] [--seed N]
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkSolution } from '../src/rebalancing/routing/checker.ts';
import { readDellAmico } from '../src/rebalancing/routing/read/dellamico.ts';
import { readSlr } from '../src/rebalancing/routing/read/slr.ts';
import { solve } from '../src/rebalancing/routing/solve.ts';
import type { Instance } from '../src/rebalancing/routing/instance.ts';

const DATA = '/work/shared/data/routing';
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const set = arg('set') ?? 'all';
const only = arg('only')?.split(',').map((s) => s.trim());
const seed = Number(arg('seed') ?? 1);
const limitArg = arg('time-limit');

// Published solver (Parada et al.), rebuilt and run here with its distance lookup fixed: km + 1 per
// bike short of target, and seconds (figures from issue 8).
const PUBLISHED_SLR: Record<string, { km: number; short: number; total: number; seconds: number }> = {
  boston424: { km: 586.2, short: 22.8, total: 608.9, seconds: 77 },
  newyork2176: { km: 6664.5, short: 294.0, total: 6958.5, seconds: 248 },
};

// best_known.csv (from brp_heur's results table) lists 35Madison10's proven optimum as 33,484, but a
// second transcription of Dell'Amico et al.'s table (a DOcplex reproduction listing "paper obj" and
// "paper time" per instance) gives 33,848 (6.02 s), and brp_heur's own ALNS, whose model ours follows,
// reports 33,848 with one vehicle. Our engine ends at exactly 33,848 (one route) with seed 1 in 10 s,
// and so it does with split deliveries allowed (a relaxation of visit_all), seeds 1 and 2, 20 s. So 33,484 is most likely a digit slip.
// The official count below still uses the csv; the alternative is printed beside it, not hidden.
const DISPUTED_OPTIMA: Record<string, { alternative: number; note: string }> = {
  '35Madison10': { alternative: 33848, note: "33,848 in another transcription of the paper's table; 33,484 in brp_heur's" },
};

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  ram_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
// The machine is shared: the load average says how much of a core each wall-clock second really had.
const load = () => loadavg().map((x) => Number(x.toFixed(1)));
const loadAtStart = load();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ram_gb} GB RAM, node ${machine.node}; one core per run, seed ${seed}; load average at start ${loadAtStart.join(' / ')} (1/5/15 min)`);

function run(instance: Instance, timeLimit: number) {
  const baseline = solve(instance, { seed, maxIterations: 0 });
  const r = solve(instance, { seed, timeLimit });
  const check = checkSolution(instance, r.routes, r.objective);
  if (!check.ok) throw new Error(`${instance.name}: checker rejected the solution: ${check.errors.slice(0, 3).join('; ')}`);
  return { r, baseline: baseline.objective, check };
}

const results: Record<string, unknown> = { machine, seed, date: new Date().toISOString() };
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

if (set === 'all' || set === 'dellamico') {
  const timeLimit = Number(limitArg ?? 10);
  const csv = readFileSync(join(DATA, 'dellamico2014/best_known.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const rows = csv.map((l) => l.split(',')).map((f) => ({ name: f[0]!, best: Number(f[4]), lower: Number(f[5]), proven: f[6] === '1' }));
  const files = new Set(readdirSync(join(DATA, 'dellamico2014/json')));
  const todo = rows.filter((r) => files.has(`${r.name}.json`) && (!only || only.includes(r.name)));
  console.log(`\nDell'Amico et al. 2014: ${todo.length} instances, ${timeLimit} s each (visit_all, unlimited fleet, free start load)`);
  console.log('instance              n   best_known    objective      gap  optimum  seconds  greedy/obj');
  const out = [];
  const belowBound: string[] = [];
  for (const row of todo) {
    const inst = readDellAmico(join(DATA, 'dellamico2014/json', `${row.name}.json`));
    const { r, baseline } = run(inst, timeLimit);
    const gap = (r.objective - row.best) / row.best;
    const matched = row.proven ? r.objective <= row.best + 1e-6 : null;
    // The model guard: a checked solution below a proven optimum or a published lower bound means our
    // model is looser than the paper's (see read/dellamico.ts).
    if (r.objective < row.lower - 1e-6 || (row.proven && r.objective < row.best - 1e-6)) belowBound.push(row.name);
    out.push({ instance: row.name, n: inst.ids.length, best_known: row.best, proven_optimal: row.proven, objective: r.objective, gap, optimum_matched: matched, seconds: r.seconds, iterations: r.iterations, greedy: baseline });
    console.log(
      `${row.name.padEnd(20)} ${String(inst.ids.length).padStart(3)} ${String(row.best).padStart(12)} ${String(r.objective).padStart(12)} ${pct(gap).padStart(8)}  ${matched === null ? '   -   ' : matched ? '  yes  ' : '  NO   '} ${r.seconds.toFixed(1).padStart(7)}  ${(baseline / r.objective).toFixed(3).padStart(10)}`,
    );
  }
  const proven = out.filter((o) => o.proven_optimal);
  const summary = {
    instances: out.length,
    mean_gap: out.reduce((s, o) => s + o.gap, 0) / Math.max(1, out.length),
    max_gap: Math.max(0, ...out.map((o) => o.gap)),
    optima_matched: proven.filter((o) => o.optimum_matched).length,
    proven_optima: proven.length,
    mean_seconds: out.reduce((s, o) => s + o.seconds, 0) / Math.max(1, out.length),
    mean_greedy_over_objective: out.reduce((s, o) => s + o.greedy / o.objective, 0) / Math.max(1, out.length),
    below_unproven_best_known: out.filter((o) => !o.proven_optimal && o.gap < 0).map((o) => o.instance),
    below_a_bound: belowBound,
  };
  console.log(
    `Dell'Amico summary: mean gap ${pct(summary.mean_gap)} (max ${pct(summary.max_gap)}), proven optima matched ${summary.optima_matched}/${summary.proven_optima}, mean ${summary.mean_seconds.toFixed(1)} s; greedy construction alone is ${summary.mean_greedy_over_objective.toFixed(3)}x the final objective`,
  );
  const disputed = proven.filter((o) => !o.optimum_matched && DISPUTED_OPTIMA[o.instance] && o.objective <= DISPUTED_OPTIMA[o.instance]!.alternative + 1e-6);
  for (const o of disputed) console.log(`${o.instance}: ${o.objective} matches ${DISPUTED_OPTIMA[o.instance]!.note}`);
  if (disputed.length > 0) console.log(`proven optima matched counting the disputed value(s): ${summary.optima_matched + disputed.length}/${summary.proven_optima}`);
  Object.assign(summary, { matched_at_disputed_optimum: disputed.map((o) => o.instance) });
  console.log('(published C++ ALNS of Parada et al.: 1.7% mean gap, 38/49 proven optima, 6.7 s mean)');
  console.log(`below an unproven best-known value (upper bounds): ${summary.below_unproven_best_known.join(', ') || 'none'}`);
  console.log(`below a proven optimum or a published lower bound (would mean a looser model): ${belowBound.join(', ') || 'none'}`);
  if (belowBound.length > 0) process.exitCode = 1;
  results.dellamico = { time_limit: timeLimit, summary, instances: out };
}

if (set === 'all' || set === 'slr') {
  const timeLimit = Number(limitArg ?? 60);
  const cities = readdirSync(join(DATA, 'slr_2024')).filter((f) => f.endsWith('.txt')).map((f) => f.replace(/\.txt$/, '')).filter((c) => !only || only.includes(c));
  console.log(`\nSLR real cities: ${cities.length} instances, ${timeLimit} s each (trucks of 40, routes <= 160 km, haversine km)`);
  console.log('instance          n   visits-bikes      km  short  routes  seconds  published(km+short)  greedy/obj');
  const out = [];
  for (const city of cities) {
    const inst = readSlr(join(DATA, 'slr_2024', `${city}.txt`));
    const { r, baseline } = run(inst, timeLimit);
    let bikes = 0;
    for (let i = 1; i < inst.ids.length; i++) bikes += Math.abs(inst.demand[i]!);
    const pub = PUBLISHED_SLR[city];
    const short = r.unserved.length; // stations not fully served (0 when every target is met)
    out.push({ instance: city, n: inst.ids.length, bikes_to_move: bikes, km: r.objective, stations_short: short, routes: r.routes.length, seconds: r.seconds, iterations: r.iterations, greedy_km: baseline, published: pub ?? null });
    console.log(
      `${city.padEnd(16)} ${String(inst.ids.length).padStart(4)} ${String(bikes).padStart(13)} ${r.objective.toFixed(1).padStart(8)} ${String(short).padStart(6)} ${String(r.routes.length).padStart(7)} ${r.seconds.toFixed(1).padStart(8)}  ${(pub ? `${pub.km}+${pub.short}=${pub.total} in ${pub.seconds}s` : '-').padStart(19)}  ${(baseline / r.objective).toFixed(3).padStart(10)}`,
    );
  }
  results.slr = { time_limit: timeLimit, instances: out };
}

results.load_average = { start: loadAtStart, end: load() };
console.log(`\nload average at end ${load().join(' / ')} (1/5/15 min) on ${machine.cores} cores`);
mkdirSync('bench/results', { recursive: true });
// One set at a time keeps the other set's last figures (each section carries its own run's machine,
// date and load).
let previous: Record<string, unknown> = {};
try {
  previous = JSON.parse(readFileSync('bench/results/routing.json', 'utf8')) as Record<string, unknown>;
} catch {
  previous = {};
}
for (const key of ['dellamico', 'slr'] as const) {
  const section = results[key] as Record<string, unknown> | undefined;
  if (section) Object.assign(section, { machine, seed, date: results.date, load_average: results.load_average });
  else if (previous[key]) results[key] = previous[key];
}
writeFileSync('bench/results/routing.json', JSON.stringify(results, null, 2) + '\n');
console.log('\nwrote bench/results/routing.json');
