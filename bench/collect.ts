// Live collection: (1) parse, validate and store one snapshot of ~3,000 stations, against DuckDB
// reading the same payload with its own JSON reader (the baseline, same run); (2) 20 GBFS feeds
// polled at once from one process, each at a 10 s ttl (six times the default 60 s floor), served on loopback.
// Data: the real Seoul station list (3,156 stations, bikeList pages in the published layout with
// generated counts) and the real Citi Bike station_status of 2024-10-02 (2,226 stations).
import { readFileSync, writeFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { dataFile } from '../src/platform/bundled-data.ts';
import { DEFAULT_FETCH, fetchJson } from '../src/platform/collect/fetch-json.ts';
import { GbfsSource } from '../src/platform/collect/gbfs-source.ts';
import { abortableSleep, runPoller } from '../src/platform/collect/poller.ts';
import { bikeListObservations } from '../src/platform/collect/seoul-bikelist.ts';
import { validateStationStatus } from '../src/platform/collect/validate-status.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { StatusLog } from '../src/platform/status/status-log.ts';
import { bikeListRows, realApiStations, seededRandom } from '../test/helpers/seoul-bikelist-fixture.ts';
import { describeMachine, peakRssMiB, saveResults } from './lib/machine.ts';

const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]!; };
const round = (x: number) => Math.round(x * 100) / 100;

console.log(describeMachine());
const dir = mkdtempSync(join(tmpdir(), 'urbanlab-bench-collect-'));
try {
  // ---- (1) one snapshot of ~3,000 stations
  const store = await openStore(join(dir, 'one.duckdb'));
  const stations = realApiStations();
  const seoulMs: number[] = [];
  const log = await StatusLog.open(store, 'seoul');
  let t0 = Date.parse('2026-11-25T00:00:00Z');
  const payloads: string[] = [];
  for (let i = 0; i < 40; i++) {
    const body = JSON.stringify({ rentBikeStatus: { list_total_count: stations.length, RESULT: { CODE: 'INFO-000' }, row: bikeListRows(stations, i) } });
    payloads.push(body);
  }
  for (const [i, body] of payloads.entries()) {
    const started = performance.now();
    const rows = (JSON.parse(body) as { rentBikeStatus: { row: Parameters<typeof bikeListObservations>[0] } }).rentBikeStatus.row;
    const { stations: obs } = bikeListObservations(rows, (id) => id);
    await log.write({ system: 'seoul', observedAt: new Date(t0 + i * 60_000), fetchedAt: new Date(t0 + i * 60_000), feedLastUpdated: null, stations: obs, source: 'bench' });
    seoulMs.push(performance.now() - started);
  }
  const citi = readFileSync(dataFile('gbfs/citibike_nyc/2024-10-02/station_status.json'), 'utf-8');
  const citiDoc = JSON.parse(citi) as { last_updated: number; data: { stations: { num_bikes_available: number; num_docks_available: number }[] } };
  const citiMs: number[] = [];
  const clog = await StatusLog.open(store, 'citibike');
  const rand = seededRandom(7);
  for (let i = 0; i < 40; i++) {
    // Each minute about a third of the stations change by one bike.
    for (const s of citiDoc.data.stations) if (rand() < 0.33 && s.num_docks_available > 0) { s.num_bikes_available++; s.num_docks_available--; }
    citiDoc.last_updated += 60;
    const body = JSON.stringify(citiDoc);
    const started = performance.now();
    const v = validateStationStatus(JSON.parse(body), { fetchedAt: new Date(citiDoc.last_updated * 1000 + 1000) });
    await clog.write({ system: 'citibike', observedAt: v.lastUpdated!, fetchedAt: v.lastUpdated!, feedLastUpdated: v.lastUpdated, stations: v.stations, source: 'bench' });
    citiMs.push(performance.now() - started);
  }
  // Baseline: DuckDB's own JSON reader loading the same Seoul payload into a table.
  const payloadFile = join(dir, 'payload.json');
  writeFileSync(payloadFile, payloads[0]!);
  const duckMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await store.run(`CREATE OR REPLACE TEMP TABLE b AS SELECT unnest(rentBikeStatus.row, recursive := true) FROM read_json('${payloadFile}')`);
    duckMs.push(performance.now() - started);
  }
  await store.close();
  const one = {
    seoul_3156_stations_ms: { median: round(quantile(seoulMs.slice(5), 0.5)), p95: round(quantile(seoulMs.slice(5), 0.95)) },
    citibike_2226_stations_ms: { median: round(quantile(citiMs.slice(5), 0.5)), p95: round(quantile(citiMs.slice(5), 0.95)) },
    duckdb_read_json_same_payload_ms: { median: round(quantile(duckMs.slice(3), 0.5)) },
  };
  const ratio = round(one.seoul_3156_stations_ms.median / one.duckdb_read_json_same_payload_ms.median);
  console.log(`one snapshot, parse + validate + store (target < 50 ms):`);
  console.log(`  Seoul bikeList, 3,156 stations:  median ${one.seoul_3156_stations_ms.median} ms, p95 ${one.seoul_3156_stations_ms.p95} ms`);
  console.log(`  Citi Bike GBFS, 2,226 stations:  median ${one.citibike_2226_stations_ms.median} ms, p95 ${one.citibike_2226_stations_ms.p95} ms`);
  console.log(`  baseline, DuckDB read_json of the same Seoul payload into a table: median ${one.duckdb_read_json_same_payload_ms.median} ms (ratio ours/baseline ${ratio})`);

  // ---- (2) 20 feeds at once
  const FEEDS = 20;
  const TTL_S = Number(process.env['BENCH_COLLECT_TTL'] ?? 10);
  const RUN_S = Number(process.env['BENCH_COLLECT_SECONDS'] ?? 60);
  const base = JSON.parse(citi) as typeof citiDoc;
  const served = new Array<number>(FEEDS).fill(0);
  const server = createServer((req, res) => {
    const m = /^\/f(\d+)\/(gbfs|station_status)\.json$/.exec(req.url ?? '');
    if (!m) { res.writeHead(404); res.end(); return; }
    const f = Number(m[1]);
    res.writeHead(200, { 'content-type': 'application/json' });
    if (m[2] === 'gbfs') {
      res.end(JSON.stringify({ last_updated: Math.floor(Date.now() / 1000), ttl: TTL_S, data: { en: { feeds: [{ name: 'station_status', url: `http://127.0.0.1:${port}/f${f}/station_status.json` }] } } }));
      return;
    }
    served[f]!++;
    const doc = { ...base, ttl: TTL_S, last_updated: Math.floor(Date.now() / 1000) + served[f]! / 1000, data: { stations: base.data.stations.map((s, i) => ((i + served[f]!) % 3 === 0 ? { ...s, num_bikes_available: s.num_bikes_available + (served[f]! % 2) } : s)) } };
    res.end(JSON.stringify(doc));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const store2 = await openStore(join(dir, 'many.duckdb'));
  const controller = new AbortController();
  setMaxListeners(FEEDS * 4, controller.signal); // every poller waits on the one stop signal
  const deps = { fetch: globalThis.fetch, sleep: (ms: number) => abortableSleep(ms, controller.signal), random: Math.random, now: Date.now, log: () => undefined };
  const fetcher = (url: string, onBody: (b: string, at: Date) => Promise<void>) => fetchJson(url, deps, DEFAULT_FETCH, onBody);
  const started = Date.now();
  const runs = [];
  for (let f = 0; f < FEEDS; f++) {
    const source = await GbfsSource.create({ url: `http://127.0.0.1:${port}/f${f}/gbfs.json`, system: `feed${f}`, archiveRoot: join(dir, 'archive'), fetch: fetcher, store: store2, log: () => undefined, now: Date.now });
    runs.push(runPoller(source, { store: store2, now: Date.now, random: Math.random, sleep: abortableSleep, log: () => undefined },
      { once: false, schedule: { floorS: TTL_S, jitter: 0.1, defaultS: TTL_S }, gapFactor: 2, signal: controller.signal }));
  }
  setTimeout(() => controller.abort(), RUN_S * 1000);
  const stats = await Promise.all(runs);
  const elapsedS = (Date.now() - started) / 1000;
  server.close();
  const gaps = await store2.all<{ n: number }>('SELECT count(*) AS n FROM gaps');
  await store2.close();
  const expectedPolls = elapsedS / (TTL_S * 1.05);
  const polls = stats.map((s) => s.stored);
  const many = {
    feeds: FEEDS, ttl_s: TTL_S, seconds: round(elapsedS), stations_per_feed: base.data.stations.length,
    snapshots_stored_per_feed: { min: Math.min(...polls), max: Math.max(...polls) }, expected_per_feed: round(expectedPolls),
    failures: stats.reduce((a, s) => a + s.failures, 0), gaps: gaps[0]!.n,
    snapshots_per_second: round(polls.reduce((a, b) => a + b, 0) / elapsedS),
  };
  const holds = Math.min(...polls) >= 0.9 * Math.floor(expectedPolls) && many.gaps === 0;
  console.log(`\n${FEEDS} feeds at once, ${base.data.stations.length} stations each, ttl ${TTL_S} s, ${many.seconds} s:`);
  console.log(`  snapshots stored per feed: ${many.snapshots_stored_per_feed.min}..${many.snapshots_stored_per_feed.max} (schedule allows ~${many.expected_per_feed}), ${many.snapshots_per_second} snapshots/s in all, ${many.failures} failures, ${many.gaps} gaps -> ${holds ? 'holds' : 'FALLS BEHIND'}`);
  console.log(`  peak RSS ${peakRssMiB()} MiB`);
  const path = saveResults('collect', { one_snapshot: { ...one, ratio_to_duckdb_read_json: ratio }, many_feeds: { ...many, holds }, peak_rss_mib: peakRssMiB() });
  console.log(`results: ${path}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
