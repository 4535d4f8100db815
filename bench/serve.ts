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
//  3. a whole re-plan cycle at Seoul's size: the same GENERATED feed polled every few seconds, five
//     weeks of GENERATED hourly flows for its 2,700 stations in the store, 30 trucks
//     (examples/fleet-seoul-30.json): the first cycle refits, predicts, computes targets and plans,
//     while mixed reads run at 100 requests/s; prints the cycle's time and CPU, the collect cycle
//     (fetch, parse and store one snapshot of 2,700 stations), the process's memory and the reads'
//     latency (docs/scale.md).
// BENCH_SERVE_ONLY=baywheels or =seoul-cycle runs that part alone.
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

async function seoulCycle(dir: string): Promise<unknown> {
  const feed = await generatedFeed(SEOUL_STATIONS, 5);
  const store = await openStore(join(dir, 'seoul-cycle.duckdb'));
  const now = Date.now();
  // GENERATED history: 5 weeks of hourly flows up to now for every station, a fixed daily pattern.
  await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source)
    SELECT 'seoul-gen', 'G' || lpad(CAST(i AS VARCHAR), 4, '0'), h, (hash(i) % 3) + (CASE WHEN hour(h) BETWEEN 8 AND 10 THEN 2 ELSE 0 END), ((hash(i) + 1) % 3) + (CASE WHEN hour(h) BETWEEN 17 AND 19 THEN 2 ELSE 0 END), 60, 0, 0, 'status'
    FROM range(${SEOUL_STATIONS}) AS r(i), generate_series(date_trunc('hour', to_timestamp(${now / 1000})) - INTERVAL 35 DAY, date_trunc('hour', to_timestamp(${now / 1000})) - INTERVAL 1 HOUR, INTERVAL 1 HOUR) AS g(h)`);
  const config = parseServeConfig(JSON.stringify({
    systems: [{ id: 'seoul-gen', gbfs_url: feed.url, fleet: join(repoRoot(), 'examples/fleet-seoul-30.json') }],
    port: 0, archive: join(dir, 'archive-cycle'), rate_limit_per_minute: 10_000_000, poll_floor_s: 5, replan_minutes: 24 * 60,
    fit_max_rows: FIT_ROWS, plan_time_limit_s: 30,
  }), join(dir, 'serve-cycle.json'));
  // Memory of the whole process (main thread, the compute worker, DuckDB), sampled every 200 ms.
  let peakRss = 0;
  const mem = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 200);
  const collectMs: number[] = [];
  let svc: Service | null = null;
  const log = (event: string) => {
    const s = svc?.ctx.live.system('seoul-gen');
    if (event === 'snapshot' && s?.feed.lastPollMs) collectMs.push(Date.now() - s.feed.lastPollMs);
  };
  svc = await startService({ config, store, clock: realClock, log });
  try {
    const s = svc.ctx.live.system('seoul-gen')!;
    await until(() => s.status.size >= SEOUL_STATIONS && collectMs.length >= 2, 120_000);
    const rssBefore = process.memoryUsage().rss;
    await until(() => s.lastCycle !== null, 60_000); // the first cycle, at start, ran before any snapshot
    const firstOutcome = s.lastCycle?.outcome;
    const seen = s.lastCycle;
    const ids = [...s.stations.keys()].slice(0, 5);
    const paths = ['/api/v1/systems/seoul-gen/stations', '/api/v1/systems/seoul-gen/plan', '/health', '/gbfs/seoul-gen/station_status.json', ...ids.map((id) => `/api/v1/systems/seoul-gen/stations/${id}`)];
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpu0 = process.cpuUsage();
    const load0 = loadavg()[0]!;
    const t0 = Date.now();
    svc.ctx.requestReplan('seoul-gen');
    const figures = await load(svc.url, paths, { connections: 10, rate: 100, seconds: 1800, until: () => s.lastCycle !== seen });
    const cpu = process.cpuUsage(cpu0);
    loop.disable();
    const out = {
      stations: SEOUL_STATIONS, trucks: 30, status: 'generated', history: 'generated, 35 days of hourly flows', fit_rows_per_flow: FIT_ROWS, plan_time_limit_s: 30,
      first_cycle_at_start: firstOutcome, cycle: s.lastCycle, cycle_wall_s: (Date.now() - t0) / 1000,
      cpu_s: Math.round((cpu.user + cpu.system) / 1e5) / 10, load_1m: [load0, loadavg()[0]!],
      collect_ms: collectMs, reads: figures, event_loop: { p99_ms: Math.round(loop.percentile(99) / 1e6), max_ms: Math.round(loop.max / 1e6) },
      rss_mib: { after_collect: Math.round(rssBefore / 2 ** 20), peak: Math.round(peakRss / 2 ** 20), end: Math.round(process.memoryUsage().rss / 2 ** 20) },
    };
    console.log(`Seoul's size, a whole cycle (2,700 GENERATED stations and 35 days of GENERATED flows, 30 trucks, plan ${out.plan_time_limit_s} s; load ${load0.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}):`);
    console.log(`  the cycle: ${s.lastCycle?.outcome} in ${s.lastCycle?.seconds.toFixed(1)} s; CPU of the process over it ${out.cpu_s} s`);
    console.log(`  collect cycle (fetch, parse, store one snapshot): ${collectMs.map((m) => `${m} ms`).join(', ')}`);
    console.log(`  memory (RSS of the process): ${out.rss_mib.after_collect} MiB after collecting, peak ${out.rss_mib.peak} MiB during the cycle`);
    console.log(show(figures));
    console.log(`  the API's event loop during the cycle: delay p99 ${out.event_loop.p99_ms} ms, max ${out.event_loop.max_ms} ms`);
    return out;
  } finally {
    clearInterval(mem);
    await svc.stop();
    await store.close();
    feed.close();
  }
}

async function main(): Promise<void> {
  console.log(describeMachine());
  const dir = mkdtempSync(join(tmpdir(), 'urbanlab-bench-serve-'));
  try {
    const only = process.env['BENCH_SERVE_ONLY'];
    const seoul = only === undefined ? await seoulSize(dir) : null;
    const bay = only === undefined || only === 'baywheels' ? await bayWheelsDuringReplan(dir) : null;
    const cycle = only === undefined || only === 'seoul-cycle' ? await seoulCycle(dir) : null;
    const path = saveResults(only ? `serve-${only}` : 'serve', { seoul_size: seoul && { stations: SEOUL_STATIONS, status: 'generated', seconds_per_route: SECONDS, routes: seoul }, baywheels_during_cycle: bay && { fit_rows_per_flow: FIT_ROWS, ...bay }, seoul_cycle: cycle, machine_after: machine() });
    console.log(`results: ${path}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
