// Seoul's bikeList poller against a loopback server serving pages in the published layout.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { DEFAULT_FETCH, fetchJson, type FetchDeps } from '../src/platform/collect/fetch-json.ts';
import type { Fetcher } from '../src/platform/collect/gbfs-source.ts';
import { runPoller } from '../src/platform/collect/poller.ts';
import { SeoulSource } from '../src/platform/collect/seoul-source.ts';
import type { Store } from '../src/platform/store/connection.ts';
import { bikeListPage, bikeListRows, realApiStations, stationNumber, type BikeListRowFixture } from './helpers/seoul-bikelist-fixture.ts';
import { tempDir, tempStore } from './helpers/store.ts';

interface PageServer { base: string; calls: string[]; stop(): Promise<void> }

async function pageServer(pagesFor: (call: number) => (page: number) => { status: number; body: unknown }): Promise<PageServer> {
  const calls: string[] = [];
  let snapshotCall = 0;
  const server: Server = createServer((req, res) => {
    const m = /^\/([^/]+)\/json\/bikeList\/(\d+)\/(\d+)\/?$/.exec(req.url ?? '');
    if (!m) { res.writeHead(404); res.end(); return; }
    calls.push(req.url!);
    const page = (Number(m[2]) - 1) / 1000;
    if (page === 0) snapshotCall++;
    const { status, body } = pagesFor(snapshotCall)(page);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function fetcher(clock: { t: number }): Fetcher {
  const deps: FetchDeps = { fetch: globalThis.fetch, sleep: async () => undefined, random: () => 0.5, now: () => clock.t, log: () => undefined };
  return (url, onBody) => fetchJson(url, deps, { ...DEFAULT_FETCH, timeoutMs: 2000, retries: 1, backoff: { baseMs: 1, maxMs: 2 } }, onBody);
}

async function mapApiIds(store: Store, stations: ReturnType<typeof realApiStations>): Promise<void> {
  // What `import seoul-stations` does with the API station list: ST- id -> station number.
  const pairs = JSON.stringify(stations.map((s) => ({ a: s.RENT_ID, b: stationNumber(s.RENT_NO) })));
  await store.run(
    `INSERT INTO station_ids SELECT 'seoul', 'seoul-api', j->>'a', j->>'b' FROM (SELECT unnest(from_json($1::JSON, '["JSON"]')) AS j)
     ON CONFLICT DO NOTHING`, [pairs]);
}

async function poll(store: Store, base: string, archive: string, clock: { t: number }, polls: number) {
  const source = await SeoulSource.create({ key: 'TESTKEY', base, system: 'seoul', archiveRoot: archive, fetch: fetcher(clock), store, now: () => clock.t });
  return runPoller(source, { store, now: () => clock.t, random: () => 0, sleep: async (ms) => { clock.t += ms; }, log: () => undefined },
    { once: false, schedule: { floorS: 60, jitter: 0, defaultS: 60 }, gapFactor: 2, signal: new AbortController().signal, maxPolls: polls });
}

test('every page of a snapshot is fetched and stored as one snapshot, ST- ids mapped to station numbers', async () => {
  const stations = realApiStations();
  assert.equal(stations.length, 3156);
  const rows = bikeListRows(stations, 1);
  const srv = await pageServer(() => (page) => ({ status: 200, body: bikeListPage(rows, page) }));
  const t = await tempStore();
  const a = tempDir();
  try {
    await mapApiIds(t.store, stations);
    const clock = { t: Date.parse('2026-11-25T00:00:00Z') };
    const stats = await poll(t.store, srv.base, a.dir, clock, 1);
    assert.equal(stats.stored, 1);
    assert.deepEqual(srv.calls.slice(0, 4), ['/TESTKEY/json/bikeList/1/1000/', '/TESTKEY/json/bikeList/1001/2000/', '/TESTKEY/json/bikeList/2001/3000/', '/TESTKEY/json/bikeList/3001/4000/']);
    const stored = await t.store.all<{ station_id: string; bikes_available: number; capacity: number }>('SELECT station_id, bikes_available, capacity FROM status');
    assert.equal(stored.length, 3156);
    const byId = new Map(stored.map((r) => [r.station_id, r]));
    const first = rows[0]!; // ST-10, station 108
    assert.equal(stations[0]!.RENT_ID, 'ST-10');
    assert.equal(byId.get('108')?.bikes_available, Number(first.parkingBikeTotCnt));
    assert.equal(byId.get('108')?.capacity, Number(first.rackTotCnt));
  } finally {
    await srv.stop(); await t.dispose(); a.dispose();
  }
});

test('a snapshot with a failing page, or pages that disagree, stores nothing; the next good one is stored', async () => {
  const stations = realApiStations();
  const rows = bikeListRows(stations, 2);
  // A list that shifted by one station between page calls: the first station of page 2 was also on page 1.
  const shifted: BikeListRowFixture[] = [...rows.slice(0, 1000), rows[999]!, ...rows.slice(1000)];
  const srv = await pageServer((call) => (page) => {
    if (call === 1 && page === 2) return { status: 500, body: { error: 'boom' } };
    if (call === 2) return { status: 200, body: bikeListPage(shifted, page) };
    return { status: 200, body: bikeListPage(rows, page) };
  });
  const t = await tempStore();
  const a = tempDir();
  try {
    await mapApiIds(t.store, stations);
    const clock = { t: Date.parse('2026-11-25T00:00:00Z') };
    const stats = await poll(t.store, srv.base, a.dir, clock, 3);
    assert.equal(stats.failures, 1);
    assert.equal(stats.rejectedPayloads, 1);
    assert.equal(stats.stored, 1);
    assert.equal((await t.store.all('SELECT * FROM snapshots')).length, 1);
    assert.equal((await t.store.all('SELECT * FROM status')).length, 3156);
  } finally {
    await srv.stop(); await t.dispose(); a.dispose();
  }
});

test('an exact multiple of 1,000 stations ends on the INFO-200 page', async () => {
  const stations = realApiStations().slice(0, 2000);
  const rows = bikeListRows(stations, 3);
  const srv = await pageServer(() => (page) => ({ status: 200, body: bikeListPage(rows, page) }));
  const t = await tempStore();
  const a = tempDir();
  try {
    const clock = { t: Date.parse('2026-11-25T00:00:00Z') };
    const stats = await poll(t.store, srv.base, a.dir, clock, 1);
    assert.equal(stats.stored, 1);
    assert.equal(srv.calls.length, 3);
    // Unmapped ST- ids are kept as they are.
    assert.equal((await t.store.all("SELECT * FROM status WHERE station_id LIKE 'ST-%'")).length, 2000);
  } finally {
    await srv.stop(); await t.dispose(); a.dispose();
  }
});
