// `urbanlab route ...`: the routing engine's commands (stage 4).
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import { checkSolution } from '../rebalancing/routing/checker.ts';
import { FORMATS, readInstance } from '../rebalancing/routing/read/index.ts';
import { solve } from '../rebalancing/routing/solve.ts';
import { formatNumber } from '../platform/output/table.ts';
import { emit, withCommonOptions, type CommonOptions } from './common.ts';
import { registerRoutePlan } from './route-plan.ts';

interface SolveCliOptions extends CommonOptions {
  format: string;
  timeLimit: string;
  seed: string;
  iterations?: string;
  strategy: string;
  targets?: string;
  status?: string;
}

/** "10s", "10", "1.5s", "500ms", "2m" -> seconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$/i.exec(text);
  if (!m) throw new UserError(`--time-limit: expected a duration like 10s, 500ms or 2m, got '${text}'`);
  const x = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  return unit === 'ms' ? x / 1000 : unit === 's' ? x : x * 60;
}

function parseIntOption(name: string, text: string, min: number): number {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min) throw new UserError(`${name}: expected an integer >= ${min}, got '${text}'`);
  return x;
}

const STRATEGIES = ['auto', 'genetic', 'annealing'] as const;

export function registerRoute(program: Command): void {
  const route = program.command('route').description('rebalancing routes for trucks (stage 4)');
  withCommonOptions(
    route
      .command('solve <instance>')
      .description('solve a rebalancing instance: which truck visits which stations, in what order, collecting or dropping how many bikes')
      .requiredOption('--format <format>', `instance layout: ${FORMATS.join('|')}`)
      .option('--time-limit <duration>', 'wall-clock budget (e.g. 10s, 500ms, 2m)', '10s')
      .option('--seed <n>', 'random seed (same seed and --iterations: same result)', '1')
      .option('--iterations <n>', 'iteration budget (stops at whichever of time and iterations comes first)')
      .option('--strategy <name>', `search: ${STRATEGIES.join('|')} (auto: genetic when the budget allows enough generations, else annealing)`, 'auto')
      .option('--targets <file>', 'slr: targets file (default targets/targets_<city>.txt beside the instance)')
      .option('--status <file>', 'slr: station_status JSON (default status/<city>_station_status.json beside the instance)'),
  ).action((file: string, opts: SolveCliOptions) => {
    if (!(STRATEGIES as readonly string[]).includes(opts.strategy)) throw new UserError(`--strategy: expected one of ${STRATEGIES.join(', ')}, got '${opts.strategy}'`);
    const instance = readInstance(file, opts.format, { targets: opts.targets, status: opts.status });
    const result = solve(instance, {
      strategy: opts.strategy as (typeof STRATEGIES)[number],
      seed: parseIntOption('--seed', opts.seed, 0),
      timeLimit: parseDuration(opts.timeLimit),
      maxIterations: opts.iterations === undefined ? undefined : parseIntOption('--iterations', opts.iterations, 1),
    });
    // The engine's answer is re-verified by the independent checker before anyone sees it.
    const check = checkSolution(instance, result.routes, result.objective);
    const complete = result.unserved.length === 0;
    if (!check.ok && complete) throw new Error(`internal error: the solver returned an invalid solution: ${check.errors.slice(0, 3).join('; ')}`);
    const out: Record<string, unknown> = {
      objective: result.objective,
      seconds: Number(result.seconds.toFixed(3)),
      routes: result.routes.map((r) => ({ stops: r.stops })),
    };
    if (!complete) out.unserved = result.unserved;
    emit(opts, out, () => {
      const lines = [
        `${instance.name}: ${instance.ids.length - 1} stations, trucks of ${instance.capacity}`,
        `objective ${formatNumber(result.objective)} with ${result.routes.length} route(s) in ${result.seconds.toFixed(2)} s (${formatNumber(result.iterations)} iterations)`,
      ];
      if (!complete) lines.push(`UNSERVED (fleet or start load too small): ${result.unserved.join(', ')}`);
      result.routes.forEach((r, i) => {
        const stops = r.stops.map((s) => ('collect' in s ? `${s.id} +${s.collect}` : `${s.id} -${s.drop}`)).join(', ');
        lines.push(`route ${i + 1}: cost ${formatNumber(r.cost)}, leaves with ${r.load_at_start} bikes: ${stops}`);
      });
      return lines.join('\n');
    });
    if (!complete) process.exitCode = 3;
  });
  registerRoutePlan(route);
}
