// The Quick start's rebalancing part: the whole chain an operations team runs each morning, on the
// bundled system that has a live status history (Bay Wheels) and a bundled fleet file:
//   stage 2 `forecast fit` + `forecast predict` (24 h from 07:00 local on the last day of data),
//   stage 3 `targets` (3 h, service 0.9, from that forecast), with its class map and failure curve,
//   stage 4 `route plan` for the fleet, with its map, driver sheets and CSVs.
// The stages run through runChain (chain.ts), the call the commands, the simulator and the service
// share, so the demo shows exactly what a user gets; the outputs land in out/rebalancing/<system>/.
import { asSystemId } from '../platform/ids.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from '../platform/bundled-data.ts';
import { formatNumber } from '../platform/output/table.ts';
import type { Store } from '../platform/store/connection.ts';
import { systemTimezone } from '../platform/store/systems.ts';
import { instantOfWallClock, wallClockOf } from '../platform/time/index.ts';
import { runChain } from './chain.ts';
import { writePlanOutputs } from './planning/write/index.ts';
import { systemLang } from '../platform/output/lang.ts';

/** Systems the demo plans for, with the bundled fleet that serves them. */
const DEMO_FLEETS: Readonly<Record<string, string>> = { baywheels: 'examples/fleet-baywheels-4.json' };

/** The morning shift the demo plans: trucks leave at 07:00 local time. */
const SHIFT_HOUR = 7;

/** Bounds the demo's cost: training rows per flow, and the planner's budget. */
const DEMO_MAX_ROWS = 100_000;
/**
 * The planner's budget is a count of iterations, not seconds, so that the demo's plan is the same on
 * every machine and under every host zone: a wall-clock budget stops the search wherever the
 * machine's load left it (three runs of one store gave 2,081-2,192 iterations in 600 s and
 * 48.29-48.38 expected failures; with a count, plan.json and the sheets were byte-identical under
 * TZ=UTC, America/Los_Angeles and Asia/Seoul). The engine ran 200 iterations, construction
 * included, in about 3 s of CPU on the demo's 484 stations; the time limit is only a cap for a
 * machine far slower than that, and the demo says when it bound.
 */
const DEMO_PLAN_ITERATIONS = 1500;
const DEMO_PLAN_TIME_CAP_S = 120;

export interface DemoRebalancingOutcome {
  system: string;
  status: 'ok' | 'failed';
  dir: string;
  at?: string;
  forecast_run?: string;
  target_run?: string;
  shortage?: number;
  surplus?: number;
  balanced?: number;
  plan_id?: string;
  expected_failures_before?: number;
  expected_failures_after?: number;
  greedy_failures_after?: number;
  stops?: number;
  files?: string[];
  message?: string;
}

/** 07:00 local on the last local day whose 07:00 is at or before `lastMs` (epoch ms). */
export function lastShiftStart(lastMs: number, timeZone: string, hour = SHIFT_HOUR): number {
  const today = wallClockOf(timeZone, lastMs);
  for (let back = 0; back < 3; back++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    const t = instantOfWallClock(timeZone, { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour, minute: 0, second: 0, millisecond: 0 });
    if (t <= lastMs) return t;
  }
  throw new Error(`no ${hour}:00 local time in the three days before ${new Date(lastMs).toISOString()}`);
}

export async function demoRebalancing(store: Store, outRoot: string, log: (s: string) => void): Promise<DemoRebalancingOutcome[]> {
  const out: DemoRebalancingOutcome[] = [];
  for (const [system, fleet] of Object.entries(DEMO_FLEETS)) {
    const last = await store.all<{ t: number | null }>('SELECT epoch_ms(max(observed_at)) AS t FROM status WHERE system_id = $1', [system]);
    const lastMs = last[0]?.t === null || last[0]?.t === undefined ? null : Number(last[0].t);
    if (lastMs === null) continue; // the system's status history is not in this store
    const dir = join(outRoot, system);
    try {
      const zone = await systemTimezone(store, asSystemId(system));
      const atMs = lastShiftStart(lastMs, zone);
      const at = new Date(atMs).toISOString();
      log(`- rebalancing for ${system} at ${at}: forecast fit (stage 2)`);
      const fleetFile = join(repoRoot(), fleet);
      const chain = await runChain(store, {
        system: asSystemId(system), at: atMs, fleet: { text: readFileSync(fleetFile, 'utf8'), file: fleetFile }, refit: { maxRows: DEMO_MAX_ROWS }, forecastHours: 24,
        horizonMinutes: 180, stepMinutes: 15, service: 0.9, rates: 'forecast', chartsDir: dir, timeLimitS: DEMO_PLAN_TIME_CAP_S, maxIterations: DEMO_PLAN_ITERATIONS, seed: 1,
        log: (m) => { if (/^(forecast run|target run) /.test(m)) log(`  ${m}`); },
      });
      const { forecast: fc, targets: tg, plan } = chain;
      const s = tg.summary.system;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan.plan, null, 2) + '\n');
      const files = [...tg.charts.filter((f) => f.endsWith('.png')), join(dir, 'plan.json'), ...writePlanOutputs(plan.plan, dir, { lang: systemLang(zone) }).filter((f) => /sheets\.html$|\.geojson$/.test(f))];
      const p = plan.plan;
      out.push({
        system, status: 'ok', dir, at, forecast_run: fc.runId, target_run: tg.runId, shortage: s.shortage, surplus: s.surplus, balanced: s.balanced,
        plan_id: plan.planId, expected_failures_before: p.expected_failures_before, expected_failures_after: p.expected_failures_after,
        greedy_failures_after: p.greedy_failures_after, stops: p.routes.reduce((n, r) => n + r.stops.length, 0), files,
      });
      log(`  plan ${plan.planId}: ${files.map((f) => basename(f)).join(', ')} in ${dir}`);
      if (plan.iterations < DEMO_PLAN_ITERATIONS) log(`  the planner stopped at its ${DEMO_PLAN_TIME_CAP_S} s cap after ${plan.iterations} of ${DEMO_PLAN_ITERATIONS} iterations: this plan depends on the machine's speed`);
    } catch (err) {
      out.push({ system, status: 'failed', dir, message: (err as Error).message });
      log(`- rebalancing for ${system}: FAILED: ${(err as Error).message}`);
    }
  }
  return out;
}

export function describeDemoRebalancing(rows: readonly DemoRebalancingOutcome[]): string {
  if (rows.length === 0) return '';
  const lines = ['', 'Rebalancing (forecast -> targets -> truck plan):'];
  for (const r of rows) {
    if (r.status === 'failed') {
      lines.push(`  ${r.system}: FAILED: ${r.message}`);
      continue;
    }
    const cut = r.expected_failures_before! - r.expected_failures_after!;
    const greedyCut = r.expected_failures_before! - r.greedy_failures_after!;
    lines.push(
      `  ${r.system} at ${r.at}: ${r.shortage} stations short of bikes, ${r.surplus} with too many, ${r.balanced} balanced (target run ${r.target_run}, from forecast run ${r.forecast_run})`,
      `  plan ${r.plan_id}: ${r.stops} stops; expected failures over 3 h ${formatNumber(r.expected_failures_before!)} -> ${formatNumber(r.expected_failures_after!)}` +
        ` (the greedy dispatcher: ${formatNumber(r.greedy_failures_after!)}${greedyCut > 0 ? `; the plan cuts ${(cut / greedyCut).toFixed(2)}x as much` : ''})`,
      `  files in ${r.dir}: ${r.files!.map((f) => basename(f)).join(', ')}`,
    );
  }
  return lines.join('\n') + '\n';
}
