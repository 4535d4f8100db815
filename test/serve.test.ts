// `urbanlab serve` against a loopback GBFS feed replaying the recorded Bay Wheels day
// (../shared/data/gbfs/baywheels/raw_sample_2023-03-06): the collector really polls over HTTP, the
// clock is the feed's own timeline (fast), the server listens on loopback port 0.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { abortableSleep } from '../src/platform/collect/poller.ts';
import type { Clock } from '../src/server/clock.ts';
import { parseServeConfig } from '../src/server/config.ts';
import { startService, type Service } from '../src/server/service.ts';
import { createToken } from '../src/server/tokens.ts';
import { FeedServer, recordedBayWheelsDay, type RecordedFeed } from './helpers/feed-server.ts';
import { until } from './helpers/wait.ts';
import { tempStore } from './helpers/store.ts';

let feed: RecordedFeed;
let server: FeedServer;
let service: Service;
let disposeStore: () => Promise<void>;
const tokens: Record<string, string> = {};

async function call(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

before(async () => {
  feed = recordedBayWheelsDay();
  server = new FeedServer(feed);
  await server.start();
  const t = await tempStore();
  disposeStore = t.dispose;
  for (const [name, role, truck] of [['admin', 'admin', null], ['operator', 'operator', null], ['sf1', 'driver', 'sf1'], ['sf2', 'driver', 'sf2']] as const) {
    tokens[name] = await createToken(t.store, role, truck, Date.now());
  }
  const config = parseServeConfig(JSON.stringify({
    systems: [{ id: 'baywheels', gbfs_url: `${server.baseUrl}/gbfs.json`, fleet: join(repoRoot(), 'examples/fleet-baywheels-4.json') }],
    port: 0, archive: join(t.dir, 'archive'), poll_floor_s: 0, feed_stale_minutes: 30, rate_limit_per_minute: 100_000,
  }), join(t.dir, 'serve.json'));
  // The feed's timeline is the clock; a wait costs a few real milliseconds.
  const clock: Clock = { now: () => server.now(), sleep: (ms, signal) => abortableSleep(Math.min(ms, 15), signal) };
  service = await startService({ config, store: t.store, clock, log: () => undefined, loop: false, fetchOptions: { retries: 0, timeoutMs: 10_000 } });
  await until('three snapshots', () => (service.ctx.live.system('baywheels')?.feed.snapshots ?? 0) >= 3);
});

after(async () => {
  await service?.stop();
  await server?.stop();
  await disposeStore?.();
});

test('stations: the live status of the last snapshot polled, with names and places; GBFS re-published', async () => {
  const s = service.ctx.live.system('baywheels')!;
  const r = await call('GET', '/api/v1/systems/baywheels/stations?hours=0');
  assert.equal(r.status, 200);
  const stations = r.json.stations as Array<Record<string, unknown>>;
  assert.ok(stations.length > 400, `${stations.length} stations`);
  const named = stations.filter((x) => typeof x['name'] === 'string' && typeof x['lat'] === 'number');
  assert.ok(named.length > 400);
  for (const k of ['station_id', 'name', 'lat', 'lon', 'bikes', 'docks', 'min', 'max', 'class', 'updated_at']) assert.ok(k in stations[0]!, k);
  // Every station's bikes are what the live state took from the feed.
  for (const x of stations) if (x['bikes'] !== null) assert.equal(x['bikes'], s.status.get(x['station_id'] as string)!.bikes);
  const g = await call('GET', '/gbfs/baywheels/gbfs.json');
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.data.en.feeds.map((f: { name: string }) => f.name), ['system_information', 'station_information', 'station_status']);
  const st = await call('GET', '/gbfs/baywheels/station_status.json');
  assert.equal(st.json.data.stations.length, s.status.size);
  const info = await call('GET', '/gbfs/baywheels/station_information.json');
  assert.ok(info.json.data.stations.length > 400);
  assert.equal((await call('GET', '/gbfs/nowhere/gbfs.json')).status, 404);
});

test('the OpenAPI document validates and lists the contract routes; docs are served locally', async () => {
  const doc = (await call('GET', '/openapi.json')).json;
  await SwaggerParser.validate(structuredClone(doc));
  for (const p of ['/api/v1/systems/{system}/stations', '/api/v1/systems/{system}/plan', '/api/v1/trucks/{truck}/stops/{station_id}', '/api/v1/trucks/{truck}/reports', '/health']) {
    assert.ok(doc.paths[p], `${p} in the OpenAPI document`);
  }
  const ui = await fetch(`${service.url}/docs/`);
  assert.equal(ui.status, 200);
  const html = await ui.text();
  assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)[^"']*\.js/, 'no script from a CDN');
});

test('drivers: a token is needed, a driver acts for its own truck, bad bodies get 400 naming the field; a report is stored once per key', async () => {
  const s = service.ctx.live.system('baywheels')!;
  const station = [...s.stations.keys()][0]!;
  const path = `/api/v1/trucks/sf1/stops/${station}`;
  assert.equal((await call('POST', path, { body: { status: 'done', collected: 3 } })).status, 401);
  assert.equal((await call('POST', path, { token: 'ul_x_nonsense', body: { status: 'done', collected: 3 } })).status, 401);
  assert.equal((await call('POST', path, { token: tokens['sf2'], body: { status: 'done', collected: 3 } })).status, 403);
  const bad = await call('POST', path, { token: tokens['sf1'], body: { status: 'done', collected: -1 } });
  assert.equal(bad.status, 400);
  assert.match(bad.json.message, /collected/);
  const extra = await call('POST', path, { token: tokens['sf1'], body: { status: 'done', collected: 1, colour: 'red' } });
  assert.equal(extra.status, 400);
  assert.match((await call('POST', path, { token: tokens['sf1'], body: { status: 'skipped' } })).json.message, /reason/);
  assert.equal((await call('POST', path, { token: tokens['sf1'], body: { status: 'skipped', reason: 'lunch' } })).status, 400);
  assert.equal((await call('POST', path, { token: tokens['sf1'], body: '{"status": "done", ' })).status, 400);
  assert.equal((await call('POST', path, { token: tokens['sf1'], body: { status: 'done', dropped: 5 } })).status, 400, 'drops bikes it does not carry');
  assert.equal((await call('POST', '/api/v1/trucks/sf1/stops/no-such-station', { token: tokens['sf1'], body: { status: 'done', collected: 1 } })).status, 404);
  assert.equal((await call('GET', '/api/v1/trucks/sf1/stops', { token: tokens['sf2'] })).status, 403);
  assert.equal((await call('GET', '/api/v1/trucks/sf1/stops', { token: tokens['sf1'] })).status, 200);

  const first = await call('POST', path, { token: tokens['sf1'], body: { status: 'done', collected: 4 }, headers: { 'idempotency-key': 'k-1' } });
  assert.equal(first.status, 201);
  assert.equal(first.json.collected, 4);
  const retry = await call('POST', path, { token: tokens['sf1'], body: { status: 'done', collected: 4 }, headers: { 'idempotency-key': 'k-1' } });
  assert.equal(retry.status, 200);
  assert.equal(retry.json.report_id, first.json.report_id);
  const skipped = await call('POST', path, { token: tokens['operator'], body: { status: 'skipped', reason: 'blocked' } });
  assert.equal(skipped.status, 201);
  const reports = await call('GET', '/api/v1/trucks/sf1/reports', { token: tokens['sf1'] });
  assert.deepEqual(reports.json.reports.map((r: { status: string; collected: number | null }) => [r.status, r.collected]), [['done', 4], ['skipped', null]]);
  assert.equal(s.trucks.get('sf1')!.load, 4);
  const pos = await call('POST', '/api/v1/trucks/sf1/position', { token: tokens['sf1'], body: { lat: 37.77, lon: -122.41 } });
  assert.equal(pos.status, 200);
  assert.equal((await call('POST', '/api/v1/trucks/sf1/position', { token: tokens['sf1'], body: { lat: 137, lon: 0 } })).status, 400);
});

test('operators: pause a truck and pin a station (a driver may not); tokens by an admin only', async () => {
  const station = [...service.ctx.live.system('baywheels')!.stations.keys()][1]!;
  assert.equal((await call('POST', '/api/v1/trucks/sf3/pause', { token: tokens['sf3'] ?? tokens['sf1'] })).status, 403);
  assert.equal((await call('POST', '/api/v1/trucks/sf3/pause', { token: tokens['operator'] })).status, 200);
  assert.equal(service.ctx.live.system('baywheels')!.trucks.get('sf3')!.paused, true);
  assert.equal((await call('PUT', `/api/v1/systems/baywheels/stations/${station}/control`, { token: tokens['operator'], body: { rule: 'pin' } })).status, 200);
  assert.equal((await call('PUT', `/api/v1/systems/baywheels/stations/${station}/control`, { token: tokens['operator'], body: { rule: 'maybe' } })).status, 400);
  assert.equal((await call('POST', '/api/v1/tokens', { token: tokens['operator'], body: { role: 'driver', truck: 'sf4' } })).status, 403);
  const made = await call('POST', '/api/v1/tokens', { token: tokens['admin'], body: { role: 'driver', truck: 'sf4' } });
  assert.equal(made.status, 201);
  assert.equal((await call('GET', '/api/v1/trucks/sf4/stops', { token: made.json.token })).status, 200);
  const rows = await service.ctx.store.all<{ n: number }>('SELECT count(*) AS n FROM service_tokens WHERE token_hash = $1', [made.json.token]);
  assert.equal(rows[0]!.n, 0, 'the store keeps the hash, not the token');
});

test('a station history and the day\'s KPIs come from the store; no stack or SQL in an error', async () => {
  const s = service.ctx.live.system('baywheels')!;
  const station = [...s.status.keys()][0]!;
  const h = await call('GET', `/api/v1/systems/baywheels/stations/${station}/history`);
  assert.equal(h.status, 200);
  assert.ok(h.json.points.length >= 1);
  const k = await call('GET', '/api/v1/systems/baywheels/kpis');
  assert.equal(k.status, 200);
  assert.ok(k.json.empty_station_minutes >= 0);
  assert.equal(k.json.bikes_collected, 4);
  const bad = await call('GET', `/api/v1/systems/baywheels/stations/${station}/history?from=yesterday`);
  assert.equal(bad.status, 400);
  assert.doesNotMatch(JSON.stringify(bad.json), /SELECT|at .*\.ts:\d+/);
});

test('feed faults (5xx, truncated JSON, a stale payload) leave the service up and mark the feed and targets stale', async () => {
  const s = service.ctx.live.system('baywheels')!;
  const before = s.feed.failures;
  server.inject('truncated', 2);
  server.inject('non-json', 2);
  server.inject('503', 30);
  // Four bad payloads and a few 5xx polled: the outage is over 30 minutes of the feed's clock, still on.
  await until('the faults polled', () => s.feed.failures >= before + 8);
  const h = await call('GET', '/health');
  assert.equal(h.status, 200);
  const sys = h.json.systems[0];
  assert.equal(sys.feed_stale, true, JSON.stringify(sys));
  assert.equal(sys.targets_stale, true);
  assert.ok(sys.last_error);
  assert.equal(h.json.status, 'stale');
  assert.equal((await call('GET', '/api/v1/systems/baywheels/stations?hours=0')).status, 200);
  assert.ok(server.requests.some((r) => r.fault === 'truncated') && server.requests.some((r) => r.fault === 'non-json'));
  await until('the feed back', () => s.feed.lastError === null);
  assert.equal((await call('GET', '/health')).json.systems[0].feed_stale, false);
});
