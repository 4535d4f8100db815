// Live collection against a real HTTP server on loopback replaying the recorded Bay Wheels day
// (../shared/data/gbfs/baywheels/raw_sample_2023-03-06), with every fault injected.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { dataFile } from '../src/platform/bundled-data.ts';
import { listArchive } from '../src/platform/collect/archive.ts';
import { DEFAULT_FETCH, fetchJson, type FetchDeps } from '../src/platform/collect/fetch-json.ts';
import { GbfsSource, type Fetcher } from '../src/platform/collect/gbfs-source.ts';
import { runPoller, type PollerStats } from '../src/platform/collect/poller.ts';
import { recomputeHourlyFlows } from '../src/platform/flows/derive-sql.ts';
import { DEFAULT_FLOW_OPTIONS } from '../src/platform/flows/options.ts';
import { ReplaySource } from '../src/platform/collect/replay-source.ts';
import type { Store } from '../src/platform/store/connection.ts';
import { FeedServer, type RecordedFeed } from './helpers/feed-server.ts';
import { tempDir, tempStore } from './helpers/store.ts';

const DIR = dataFile('gbfs/baywheels/raw_sample_2023-03-06');
let feed: RecordedFeed;
const MEDIAN_INTERVAL_S = 626; // the recorded day's median interval between snapshots
const GAP_FACTOR = 2;

before(() => {
  const statuses = gunzipSync(readFileSync(join(DIR, 'station_status_2023-03-06_day.jsonl.gz'))).toString('utf-8').trim().split('\n');
  feed = {
    systemInformation: JSON.parse(readFileSync(join(DIR, 'system_information.json'), 'utf-8')),
    stationInformation: JSON.parse(readFileSync(join(DIR, 'station_information.json'), 'utf-8')),
    statuses,
    lastUpdated: statuses.map((s) => (JSON.parse(s) as { last_updated: number }).last_updated),
  };
});

interface Harness {
  server: FeedServer;
  sleeps: number[];
  poll(store: Store, archive: string, maxPolls?: number): Promise<PollerStats>;
}

async function harness(): Promise<Harness> {
  const server = new FeedServer(feed);
  await server.start();
  const sleeps: number[] = [];
  const deps: FetchDeps = {
    fetch: globalThis.fetch,
    // Virtual time: the server's timeline is the clock; waiting costs nothing.
    sleep: async (ms) => { sleeps.push(ms); },
    random: () => 0.5,
    now: () => server.now(),
    log: () => undefined,
  };
  // A generous client timeout: a slow but healthy answer on a loaded machine must not count as a fault.
  const fetcher: Fetcher = (url, onBody) => fetchJson(url, deps, { ...DEFAULT_FETCH, timeoutMs: 10_000, retries: 3, backoff: { baseMs: 10, maxMs: 100 } }, onBody);
  return {
    server,
    sleeps,
    async poll(store, archive, maxPolls) {
      const source = await GbfsSource.create({ url: `${server.baseUrl}/gbfs.json`, system: undefined, archiveRoot: archive, fetch: fetcher, store, log: () => undefined, now: () => server.now(), infoRefreshS: 1e9 });
      const controller = new AbortController();
      return runPoller(
        { system: source.system, take: () => source.take(), exhausted: () => server.finished && (maxPolls === undefined) && false },
        { store, now: () => server.now(), random: () => 0.5, sleep: async () => undefined, log: () => undefined },
        { once: false, schedule: { floorS: MEDIAN_INTERVAL_S, jitter: 0, defaultS: 60 }, gapFactor: GAP_FACTOR, signal: controller.signal, maxPolls: maxPolls ?? feed.statuses.length },
      );
    },
  };
}

/** The state every accepted station should have after snapshot `i`, straight from the payload. */
function payloadState(i: number): Map<string, number> {
  const doc = JSON.parse(feed.statuses[i]!) as { data: { stations: { station_id: string; num_bikes_available: number }[] } };
  return new Map(doc.data.stations.map((s) => [s.station_id, s.num_bikes_available]));
}

async function storedStateAt(store: Store, t: number): Promise<Map<string, number>> {
  const rows = await store.all<{ station_id: string; bikes_available: number }>(
    `SELECT station_id, bikes_available FROM status WHERE system_id = 'fgb' AND observed_at <= to_timestamp($1)
     QUALIFY row_number() OVER (PARTITION BY station_id ORDER BY observed_at DESC) = 1`, [t]);
  return new Map(rows.map((r) => [r.station_id, r.bikes_available]));
}

async function storedTimes(store: Store): Promise<number[]> {
  const rows = await store.all<{ t: number }>("SELECT epoch(observed_at)::BIGINT AS t FROM snapshots WHERE system_id = 'fgb' ORDER BY 1");
  return rows.map((r) => r.t);
}

function expectedGaps(times: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! > GAP_FACTOR * MEDIAN_INTERVAL_S) out.push([times[i - 1]!, times[i]!]);
  return out;
}

async function storedGaps(store: Store): Promise<[number, number][]> {
  const rows = await store.all<{ a: number; b: number }>("SELECT epoch(gap_start)::BIGINT AS a, epoch(gap_end)::BIGINT AS b FROM gaps WHERE system_id = 'fgb' ORDER BY 1");
  return rows.map((r) => [r.a, r.b]);
}

test('a clean day: every recorded snapshot is stored, the series equals the payloads, gaps are the real outages', async () => {
  const h = await harness();
  const t = await tempStore();
  const a = tempDir();
  try {
    const stats = await h.poll(t.store, a.dir);
    assert.equal(stats.stored, feed.statuses.length);
    const times = await storedTimes(t.store);
    assert.deepEqual(times, feed.lastUpdated);
    for (const i of [0, 1, 60, feed.statuses.length - 1]) {
      assert.deepEqual(await storedStateAt(t.store, feed.lastUpdated[i]!), payloadState(i), `state after snapshot ${i}`);
    }
    const gaps = expectedGaps(feed.lastUpdated);
    assert.ok(gaps.length > 0, 'the recorded day has at least one outage longer than two intervals');
    assert.deepEqual(await storedGaps(t.store), gaps);
    // The poller derived the hourly flows as hours completed: every hour before the last equals a
    // derivation of the whole day at once.
    const flows = `SELECT station_id, epoch(hour) AS h, pickups, returns, round(minutes_observed, 6) AS mo, round(minutes_empty, 6) AS me
      FROM hourly_flows WHERE hour < (SELECT date_trunc('hour', max(observed_at)) FROM snapshots) ORDER BY 1, 2`;
    const live = await t.store.all(flows);
    assert.ok(live.length > 0, 'hourly flows were derived while polling');
    await t.store.transaction((s) => recomputeHourlyFlows(s, 'fgb', undefined, DEFAULT_FLOW_OPTIONS.truckThreshold));
    assert.deepEqual(live, await t.store.all(flows));
    // Every payload was archived, and a replay into a fresh store gives the same tables.
    const archived = await listArchive(a.dir);
    assert.equal(archived.filter((p) => p.feed === 'station_status').length, feed.statuses.length);
    const fresh = await tempStore();
    try {
      const sources = await ReplaySource.create(a.dir, fresh.store);
      assert.equal(sources.length, 1);
      const src = sources[0]!;
      await runPoller(src, { store: fresh.store, now: Date.now, random: () => 0, sleep: async () => undefined, log: () => undefined },
        { once: false, schedule: { floorS: src.medianIntervalS(), jitter: 0, defaultS: 60 }, gapFactor: GAP_FACTOR, signal: new AbortController().signal });
      const q = 'SELECT station_id, epoch(observed_at) AS t, bikes_available, docks_available FROM status ORDER BY 1, 2';
      assert.deepEqual(await fresh.store.all(q), await t.store.all(q));
      assert.deepEqual(await storedGaps(fresh.store), gaps);
    } finally {
      await fresh.dispose();
    }
  } finally {
    await h.server.stop();
    await t.dispose();
    a.dispose();
  }
});

test('faults lose only the snapshots the feed published during them, never duplicate, and the gaps say so', async () => {
  const h = await harness();
  const t = await tempStore();
  const a = tempDir();
  try {
    // Poll a while, then inject every fault, one at a time, with clean polls in between.
    const faults = ['500', '503', '429', 'timeout', 'reset', 'truncated', 'non-json', 'silent'] as const;
    await h.poll(t.store, a.dir, 5);
    for (const f of faults) {
      h.server.inject(f);
      await h.poll(t.store, a.dir, 3);
    }
    const faulted = new Set(h.server.requests.filter((r) => r.fault !== undefined).map((r) => r.slot));
    const served = [...new Set(h.server.requests.filter((r) => r.fault === undefined).map((r) => r.slot))].sort((x, y) => x - y);
    assert.equal(faulted.size, faults.length);
    const times = await storedTimes(t.store);
    assert.deepEqual(times, served.map((i) => feed.lastUpdated[i]!), 'stored exactly the snapshots served without a fault');
    const dup = await t.store.all<{ n: number }>("SELECT count(*) AS n FROM (SELECT station_id, observed_at FROM status GROUP BY ALL HAVING count(*) > 1)");
    assert.equal(dup[0]!.n, 0);
    assert.deepEqual(await storedGaps(t.store), expectedGaps(times));
    // 429 carried Retry-After: 1, and the client waited at least that long before retrying.
    assert.ok(h.sleeps.some((ms) => ms >= 1000), `sleeps: ${h.sleeps.join(',')}`);
    // The bad bodies (truncated, non-JSON) are archived too: nothing fetched is lost.
    const archived = await listArchive(a.dir);
    assert.ok(archived.filter((p) => p.feed === 'station_status').length >= served.length + 1);
  } finally {
    await h.server.stop();
    await t.dispose();
    a.dispose();
  }
});

test('a restart resumes without duplicates', async () => {
  const h = await harness();
  const t = await tempStore();
  const a = tempDir();
  try {
    await h.poll(t.store, a.dir, 40);
    await h.poll(t.store, a.dir); // a new source and poller on the same store: runs to the end
    const times = await storedTimes(t.store);
    assert.deepEqual(times, feed.lastUpdated);
    assert.deepEqual(await storedStateAt(t.store, feed.lastUpdated[feed.lastUpdated.length - 1]!), payloadState(feed.statuses.length - 1));
  } finally {
    await h.server.stop();
    await t.dispose();
    a.dispose();
  }
});
