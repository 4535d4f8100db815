// One cycle of `urbanlab serve`, end to end, on loopback: the recorded Bay Wheels day of 2023-03-06
// (../shared/data/gbfs/baywheels/raw_sample_2023-03-06) replayed by a GBFS feed server -> the
// collector polls it -> the cycle refits and predicts the forecast, computes targets and plans the
// 4 trucks -> a driver GETs its stops -> POSTs a stop done with the real counts -> the next re-plan
// starts from that report (the truck's load, and the station as its place) -> every plan issued and
// every report is in the store for audit.
// The history the forecast is fitted on is GENERATED (five weeks of hourly flows for 30 of the
// feed's stations, a fixed daily pattern): the live side (feed, status, drivers) is real data.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { abortableSleep } from '../src/platform/collect/poller.ts';
import type { Clock } from '../src/server/clock.ts';
import { parseServeConfig } from '../src/server/config.ts';
import { startService, type Service } from '../src/server/service.ts';
import { createToken } from '../src/server/tokens.ts';
import { FeedServer, recordedBayWheelsDay } from './helpers/feed-server.ts';
import { until } from './helpers/wait.ts';
import { tempStore } from './helpers/store.ts';

const TRUCKS = ['sf1', 'sf2', 'sf3', 'sf4'];
const REPLAN_MINUTES = 600;
let server: FeedServer;
let service: Service;
let disposeStore: () => Promise<void>;
const tokens: Record<string, string> = {};

async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

before(async () => {
  const feed = recordedBayWheelsDay();
  const stationInformation = feed.stationInformation as { data: { stations: { station_id: string }[] } };
  server = new FeedServer(feed);
  await server.start();
  const t = await tempStore();
  disposeStore = t.dispose;
  // GENERATED history: 5 weeks of hourly flows before the recorded day for 30 of its stations.
  const ids = stationInformation.data.stations.map((s) => s.station_id).sort().slice(0, 30);
  await t.store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source)
    SELECT 'baywheels', id, h, (hash(id) % 3) + (CASE WHEN hour(h) BETWEEN 15 AND 19 THEN 2 ELSE 0 END), ((hash(id) + 1) % 3) + (CASE WHEN hour(h) BETWEEN 0 AND 3 THEN 2 ELSE 0 END), 60, 0, 0, 'status'
    FROM unnest([${ids.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ')}]) AS u(id), generate_series(TIMESTAMPTZ '2023-01-30 08:00:00+00', TIMESTAMPTZ '2023-03-06 07:00:00+00', INTERVAL 1 HOUR) AS g(h)`);
  tokens['operator'] = await createToken(t.store, 'operator', null, Date.now());
  for (const truck of TRUCKS) tokens[truck] = await createToken(t.store, 'driver', truck, Date.now());
  const config = parseServeConfig(JSON.stringify({
    systems: [{ id: 'baywheels', gbfs_url: `${server.baseUrl}/gbfs.json`, fleet: join(repoRoot(), 'examples/fleet-baywheels-4.json') }],
    port: 0, archive: join(t.dir, 'archive'), poll_floor_s: 0, feed_stale_minutes: 60, rate_limit_per_minute: 100_000,
    replan_minutes: REPLAN_MINUTES, fit_max_rows: 1000, plan_time_limit_s: 120, plan_max_iterations: 30, horizon_minutes: 180,
  }), join(t.dir, 'serve.json'));
  // The feed's timeline is the clock; a poll's wait costs a few real milliseconds, and the loop's
  // wait for its next tick lasts until a re-plan is asked for (the test says when a cycle runs).
  const clock: Clock = {
    now: () => server.now(),
    sleep: (ms, signal) => (ms >= REPLAN_MINUTES * 60_000 / 2 ? new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true }))) : abortableSleep(Math.min(ms, 15), signal)),
  };
  service = await startService({ config, store: t.store, clock, log: () => undefined, fetchOptions: { retries: 0, timeoutMs: 10_000 } });
});

after(async () => {
  await service?.stop();
  await server?.stop();
  await disposeStore?.();
});

test('a cycle end to end: feed -> collect -> forecast, targets -> plan -> a driver reports a stop done -> the next plan starts from the report; all recorded', async () => {
  const s = service.ctx.live.system('baywheels')!;
  await until('a few snapshots', () => s.feed.snapshots >= 3);
  // Cycle 1, asked by an operator (the loop's own first cycle ran before any snapshot: skipped).
  assert.equal((await call('POST', '/api/v1/systems/baywheels/replan', tokens['operator'])).status, 202);
  await until('a plan issued', () => s.issued !== null || (s.lastCycle?.outcome.startsWith('failed') ?? false), 240_000);
  assert.ok(s.issued, `the cycle: ${s.lastCycle?.outcome}`);
  assert.match(s.lastCycle!.outcome, /predict, targets .*, plan /, 'the cycle fitted and predicted (no model yet), made targets and a plan');
  const first = s.issued.planId;

  // The plan over HTTP; a driver with stops asks for them.
  const plan = await call('GET', '/api/v1/systems/baywheels/plan');
  assert.equal(plan.json.plan_id, first);
  const route = (plan.json.routes as Array<{ truck: string; stops: Array<{ station_id: string; collect?: number; drop?: number; lat: number; lon: number }> }>).find((r) => r.stops.some((x) => (x.collect ?? 0) > 0));
  assert.ok(route, `a truck that collects: ${JSON.stringify(plan.json.routes.map((r: { truck: string; stops: unknown[] }) => [r.truck, r.stops.length]))}`);
  const truck = route.truck;
  const mine = await call('GET', `/api/v1/trucks/${truck}/stops`, tokens[truck]);
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.json.stops.map((x: { station_id: string }) => x.station_id), route.stops.map((x) => x.station_id));
  const stop = route.stops.find((x) => (x.collect ?? 0) > 0)!;
  // The driver found fewer bikes than planned: the real count goes in.
  const collected = Math.max(1, stop.collect! - 1);
  const done = await call('POST', `/api/v1/trucks/${truck}/stops/${stop.station_id}`, tokens[truck], { status: 'done', collected });
  assert.equal(done.status, 201);
  assert.equal(done.json.plan_id, first);
  assert.equal(s.trucks.get(truck)!.load, collected);

  // Cycle 2 starts from the report: the truck's load is what it collected, its place the station.
  assert.equal((await call('POST', '/api/v1/systems/baywheels/replan', tokens['operator'])).status, 202);
  await until('the next plan', () => (s.issued?.planId ?? first) !== first || (s.lastCycle?.outcome.startsWith('failed') ?? false), 240_000)
    .catch((e: Error) => { throw new Error(`${e.message}; the last cycle: ${JSON.stringify(s.lastCycle)}`); });
  assert.notEqual(s.issued!.planId, first, `the cycle: ${s.lastCycle?.outcome}`);
  const next = (await call('GET', '/api/v1/systems/baywheels/plan')).json;
  const r2 = next.routes.find((r: { truck: string }) => r.truck === truck);
  assert.ok(r2, `${truck} is planned again`);
  assert.equal(r2.start_load, collected);
  assert.deepEqual(r2.start, { lat: stop.lat, lon: stop.lon });

  // Audit: both plans recorded (the first superseded, the second issued), the report on the first.
  const store = service.ctx.store;
  const issues = await store.all<{ plan_id: string; state: string; stops: number }>(
    `SELECT i.plan_id, i.state, (SELECT count(*) FROM plan_stops ps WHERE ps.plan_id = i.plan_id) AS stops FROM plan_issues i WHERE system_id = 'baywheels' ORDER BY proposed_at`);
  assert.deepEqual(issues.map((i) => [i.plan_id, i.state]), [[first, 'superseded'], [next.plan_id, 'issued']]);
  assert.ok(issues.every((i) => Number(i.stops) > 0), 'each plan issued is stored with its stops');
  const reports = await store.all<{ truck: string; plan_id: string; station_id: string; collected: number }>('SELECT truck, plan_id, station_id, collected FROM driver_reports');
  assert.deepEqual(reports, [{ truck, plan_id: first, station_id: stop.station_id, collected }]);
  // In the order written: the service's clock can give the report and the next plan the same
  // instant (a loaded run did), so the tie is broken by the row's place in the table (DuckDB
  // numbers appended rows in order; the audit table is never deleted from), not by the action name.
  const audit = await store.all<{ action: string; subject: string }>("SELECT action, subject FROM service_audit WHERE action IN ('plan-issued', 'stop-done') ORDER BY happened_at, rowid");
  assert.deepEqual(audit.map((a) => a.action), ['plan-issued', 'stop-done', 'plan-issued']);
});
