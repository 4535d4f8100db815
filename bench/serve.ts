// `urbanlab serve` under load (autocannon, bounded in time and rate), printing request latency
// percentiles:
//  1. the read endpoints at Seoul's size: 2,700 stations on Seoul's extent with GENERATED status
//     (random bikes and docks, not real), served by a loopback GBFS feed the service really polls;
//  2. mixed reads at 200 requests/s on the real Bay Wheels store (a copy of the demo's store,
//     /work/stores/demo.duckdb or $URBANLAB_BENCH_STORE; skipped when absent) for the whole of a
//     re-plan cycle that refits the forecast (the copy's model is dated back, so the nightly refit is
//     due; it fits on `fit_max_rows` rows per flow), predicts, computes targets and plans 4 trucks.
//     The panel's rows are read by the compute worker from a snapshot (compute-in-worker.ts); the
//     event loop's delay says how long the API's thread was held at a time.
// BENCH_SERVE_ONLY=baywheels skips the first part.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore, type Store } from '../src/platform/store/connection.ts';
import { fastClock, realClock } from '../src/server/clock.ts';
import { parseServeConfig } from '../src/server/config.ts';
import { startService, type Service } from '../src/server/service.ts';
import { generatedFeed } from './lib/generated-feed.ts';
import { describeMachine, machine, saveResults } from './lib/machine.ts';

const SEOUL_STATIONS = 2700;
const SECONDS = Number(process.env['BENCH_SERVE_SECONDS'] ?? 5);
const FIT_ROWS = Number(process.env['BENCH_SERVE_FIT_ROWS'] ?? 20_000);

interface Figures { path: string; requests_per_s: number; p50_ms: number; p90_ms: number; p99_ms: number; max_ms: number; errors: number; non2xx: number }

async function load(url: string, paths: string[], opts: { connections: number; rate?: number; seconds: number; until?: () => boolean }): Promise<Figures> {
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon({
      url, connections: opts.connections, duration: opts.seconds, ...(opts.rate ? { overallRate: opts.rate } : {}),
      requests: paths.map((path) => ({ method: 'GET', path })),
    }, (err, res) => (err ? reject(err) : resolve(res)));
    // Stop early once `until` holds (checked every 200 ms).
    if (opts.until) {
      const iv = setInterval(() => { if (opts.until!()) { clearInterval(iv); inst.stop(); } }, 200);
      inst.on('done', () => clearInterval(iv));
    }
  });
  return {
    path: paths.length === 1 ? paths[0]! : `mixed (${paths.length} routes)`, requests_per_s: Math.round(r.requests.average),
    p50_ms: r.latency.p50, p90_ms: r.latency.p90, p99_ms: r.latency.p99, max_ms: r.latency.max, errors: r.errors, non2xx: r.non2xx,
  };
}

const show = (f: Figures) => `  ${f.path.padEnd(58)} ${String(f.requests_per_s).padStart(6)} req/s  p50 ${f.p50_ms} ms  p90 ${f.p90_ms} ms  p99 ${f.p99_ms} ms  max ${f.max_ms} ms${f.errors + f.non2xx ? `  (${f.errors} errors, ${f.non2xx} non-2xx)` : ''}`;

async function until(ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

async function seoulSize(dir: string): Promise<Figures[]> {
  const feed = await generatedFeed(SEOUL_STATIONS);
  const store = await openStore(join(dir, 'seoul-gen.duckdb'));
  const config = parseServeConfig(JSON.stringify({
    systems: [{ id: 'seoul-gen', gbfs_url: feed.url, fleet: join(repoRoot(), 'examples/fleet-seoul-30.json') }],
    port: 0, archive: join(dir, 'archive'), rate_limit_per_minute: 10_000_000,
  }), join(dir, 'serve.json'));
  const svc = await startService({ config, store, clock: realClock, log: () => undefined, loop: false });
  try {
    const s = svc.ctx.live.system('seoul-gen')!;
    await until(() => s.status.size >= SEOUL_STATIONS, 60_000);
    console.log(`Seoul's size: ${s.status.size} stations (GENERATED status, polled from a loopback GBFS feed), 30 trucks; ${SECONDS} s per route, 10 connections, no rate cap`);
    const out: Figures[] = [];
    for (const path of ['/api/v1/systems/seoul-gen/stations', '/api/v1/systems/seoul-gen/stations?hours=0', '/api/v1/systems/seoul-gen/stations/G0042', '/api/v1/systems/seoul-gen/plan', '/gbfs/seoul-gen/station_status.json', '/health']) {
      const f = await load(svc.url, [path], { connections: 10, seconds: SECONDS });
      console.log(show(f));
      out.push(f);
    }
    return out;
  } finally {
    await svc.stop();
    await store.close();
    feed.close();
  }
}

async function bayWheelsDuringReplan(dir: string): Promise<{ figures: Figures; event_loop: { p99_ms: number; max_ms: number }; cycle: unknown; cpu_s: number; load_1m: number[] } | null> {
  const src = process.env['URBANLAB_BENCH_STORE'] ?? '/work/stores/demo.duckdb';
  if (!existsSync(src)) {
    console.log(`Bay Wheels during a re-plan: skipped (no store at ${src}; set URBANLAB_BENCH_STORE to the demo's store)`);
    return null;
  }
  const db = join(dir, 'bay.duckdb');
  copyFileSync(src, db);
  const store: Store = await openStore(db);
  const last = Number((await store.all<{ t: number }>("SELECT epoch_ms(max(observed_at)) AS t FROM snapshots WHERE system_id = 'baywheels'"))[0]!.t);
  // The clock starts a minute after the store's last Bay Wheels snapshot (so its status is fresh);
  // the feed URL is closed (the collector retries; the bench measures the API and the re-plan).
  // The stored model dated back before the last nightly refit time: the first cycle refits (on
  // FIT_ROWS rows per flow), then predicts, computes targets and plans.
  await store.run("UPDATE forecast_models SET fitted_at = TIMESTAMPTZ '2023-01-01 00:00:00+00' WHERE system_id = 'baywheels'");
  const config = parseServeConfig(JSON.stringify({
    systems: [{ id: 'baywheels', gbfs_url: 'http://127.0.0.1:9/gbfs.json', fleet: join(repoRoot(), 'examples/fleet-baywheels-4.json') }],
    port: 0, archive: join(dir, 'archive'), rate_limit_per_minute: 10_000_000, plan_time_limit_s: 10, feed_stale_minutes: 600, fit_max_rows: FIT_ROWS,
  }), join(dir, 'serve.json'));
  const svc: Service = await startService({ config, store, clock: fastClock(last + 60_000, 1), log: () => undefined });
  try {
    const s = svc.ctx.live.system('baywheels')!;
    const ids = [...s.stations.keys()].slice(0, 5);
    const paths = ['/api/v1/systems/baywheels/stations', '/api/v1/systems/baywheels/plan', '/health', '/gbfs/baywheels/station_status.json', ...ids.map((id) => `/api/v1/systems/baywheels/stations/${id}`)];
    console.log(`Bay Wheels (the demo store: ${s.stations.size} stations, real status to ${new Date(last).toISOString()}): mixed reads at 200 req/s, 20 connections, for the whole first cycle (refit on ${FIT_ROWS} rows per flow, predict 24 h, targets, 4 trucks planned for 10 s)`);
    // The event loop's delay over the cycle: how long the API's thread was held at a time.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0]!;
    const figures = await load(svc.url, paths, { connections: 20, rate: 200, seconds: 900, until: () => s.lastCycle !== null });
    const cpu = process.cpuUsage(cpu0);
    loop.disable();
    const cpuS = (cpu.user + cpu.system) / 1e6;
    console.log(`  CPU of the process (service, its workers and DuckDB's threads, and the load tool) over the cycle: ${cpuS.toFixed(1)} s; load average ${load0.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end`);
    const eventLoop = { p99_ms: Math.round(loop.percentile(99) / 1e6), max_ms: Math.round(loop.max / 1e6) };
    console.log(show(figures));
    console.log(`  the API's event loop during the cycle: delay p99 ${eventLoop.p99_ms} ms, max ${eventLoop.max_ms} ms`);
    console.log(`  the cycle: ${s.lastCycle?.outcome} in ${s.lastCycle?.seconds.toFixed(1)} s`);
    return { figures, event_loop: eventLoop, cycle: s.lastCycle, cpu_s: Math.round(cpuS * 10) / 10, load_1m: [load0, loadavg()[0]!] };
  } finally {
    await svc.stop();
    await store.close();
  }
}

async function main(): Promise<void> {
  console.log(describeMachine());
  const dir = mkdtempSync(join(tmpdir(), 'urbanlab-bench-serve-'));
  try {
    const seoul = process.env['BENCH_SERVE_ONLY'] === 'baywheels' ? null : await seoulSize(dir);
    const bay = await bayWheelsDuringReplan(dir);
    const path = saveResults('serve', { seoul_size: seoul && { stations: SEOUL_STATIONS, status: 'generated', seconds_per_route: SECONDS, routes: seoul }, baywheels_during_cycle: bay && { fit_rows_per_flow: FIT_ROWS, ...bay }, machine_after: machine() });
    console.log(`results: ${path}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
