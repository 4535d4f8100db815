// `urbanlab serve` as a real process: reports acknowledged (2xx) survive a kill -9 in the middle of
// a burst of reports, the store opens afterwards, a restart resumes from it, the command line
// beside a running service names it instead of a lock error, and SIGTERM stops it cleanly.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { createToken } from '../src/server/tokens.ts';
import { FeedServer, recordedBayWheelsDay } from './helpers/feed-server.ts';
import { tempDir } from './helpers/store.ts';

const run = promisify(execFile);
const CLI = join(repoRoot(), 'bin/urbanlab.js');
let server: FeedServer;
let dir: { dir: string; dispose: () => void };
let db: string;
let config: string;
let token: string;

before(async () => {
  server = new FeedServer(recordedBayWheelsDay());
  await server.start();
  dir = tempDir();
  db = join(dir.dir, 's.duckdb');
  const store = await openStore(db);
  token = await createToken(store, 'driver', 'sf1', Date.now());
  await store.close();
  config = join(dir.dir, 'serve.json');
  writeFileSync(config, JSON.stringify({
    systems: [{ id: 'baywheels', gbfs_url: `${server.baseUrl}/gbfs.json`, fleet: join(repoRoot(), 'examples/fleet-baywheels-4.json') }],
    port: 0, archive: join(dir.dir, 'archive'), replan_minutes: 600,
  }));
});

after(async () => {
  await server?.stop();
  dir?.dispose();
});

/** Starts the service and waits until it listens and knows the feed's stations. */
async function startServe(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += String(d); });
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${err}`);
    if (Date.now() > end) throw new Error(`serve did not come up: ${err}`);
    const m = /urbanlab serve: (http:\/\/\S+)/.exec(err);
    if (m) {
      const r = await fetch(`${m[1]}/api/v1/systems/baywheels`).then((x) => x.json() as Promise<{ stations: number }>).catch(() => ({ stations: 0 }));
      if (r.stations > 0) return { child, url: m[1]! };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function report(url: string, station: string, n: number): Promise<number | null> {
  return fetch(`${url}/api/v1/trucks/sf1/stops/${station}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'done', collected: n }),
  }).then(async (r) => (r.status === 201 ? ((await r.json()) as { report_id: number }).report_id : null), () => null);
}

test('kill -9 during a burst of reports loses none acknowledged; the store opens; a restart resumes; SIGTERM stops cleanly', async () => {
  const first = await startServe();
  const stations = (await fetch(`${first.url}/api/v1/systems/baywheels/stations?hours=0`).then((r) => r.json()) as { stations: { station_id: string }[] }).stations;
  const station = stations[0]!.station_id;

  // Beside the running service the command line names it, not DuckDB's lock.
  const info = await run(process.execPath, [CLI, 'info', '--db', db]).then(() => null, (e: { code: number; stderr: string }) => e);
  assert.ok(info, 'info must fail while the service holds the store');
  assert.equal(info.code, 2);
  assert.match(info.stderr, /held by urbanlab serve/);
  assert.ok(info.stderr.includes(first.url));

  const acked: number[] = [];
  for (let i = 0; i < 10; i++) {
    const id = await report(first.url, station, 1);
    assert.ok(id !== null);
    acked.push(id);
  }
  // A burst in flight; kill -9 as soon as the first of it is acknowledged.
  const burst = Array.from({ length: 30 }, () => report(first.url, station, 1).then((id) => {
    if (id !== null) { acked.push(id); first.child.kill('SIGKILL'); }
    return id;
  }));
  await Promise.all(burst);
  await new Promise<void>((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r() : first.child.once('exit', () => r())));
  assert.equal(first.child.signalCode, 'SIGKILL');

  const store = await openStore(db);
  const ids = new Set((await store.all<{ report_id: number }>("SELECT report_id FROM driver_reports WHERE truck = 'sf1'")).map((r) => r.report_id));
  await store.close();
  for (const id of acked) assert.ok(ids.has(id), `acknowledged report ${id} is in the store`);

  const second = await startServe();
  const got = await fetch(`${second.url}/api/v1/trucks/sf1/reports`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json()) as { reports: { report_id: number }[] };
  assert.equal(got.reports.length, ids.size);
  assert.ok(existsSync(`${db}.serve.json`));
  second.child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => second.child.once('exit', (c) => r(c)));
  assert.equal(code, 0);
  assert.ok(!existsSync(`${db}.serve.json`), 'the marker goes with the service');
});
