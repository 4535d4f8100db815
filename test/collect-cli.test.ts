// `urbanlab collect --once` end to end: a real process against a loopback server serving the real
// Citi Bike station_status of 2024-10-02, re-stamped with the current time (the poller rejects
// stale payloads, as it should).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { dataFile, repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { tempDir } from './helpers/store.ts';

const run = promisify(execFile);

test('collect --once stores one snapshot, archives the payload, and prints JSON', async () => {
  const status = JSON.parse(readFileSync(dataFile('gbfs/citibike_nyc/2024-10-02/station_status.json'), 'utf-8')) as { last_updated: number; data: { stations: unknown[] } };
  const server = createServer((req, res) => {
    if (req.url !== '/station_status.json') { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...status, last_updated: Math.floor(Date.now() / 1000) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/station_status.json`;
  const d = tempDir();
  try {
    const db = join(d.dir, 'c.duckdb');
    const archive = join(d.dir, 'archive');
    const { stdout } = await run(process.execPath, [join(repoRoot(), 'bin/urbanlab.js'), 'collect', '--source', 'gbfs', '--url', url, '--system', 'citibike', '--once', '--archive', archive, '--db', db, '--json']);
    const out = JSON.parse(stdout) as { collected: { system: string; stored: number }[] };
    assert.deepEqual(out.collected.map((c) => [c.system, c.stored]), [['citibike', 1]]);
    const store = await openStore(db);
    try {
      const rows = await store.all<{ n: number }>("SELECT count(*) AS n FROM status WHERE system_id = 'citibike'");
      assert.equal(rows[0]!.n, status.data.stations.length);
    } finally {
      await store.close();
    }
    const files = await run('find', [archive, '-name', '*.json.gz']);
    assert.equal(files.stdout.trim().split('\n').length, 1);
    assert.match(files.stdout, /system=citibike\/date=\d{4}-\d\d-\d\d\/station_status\//);
  } finally {
    server.close();
    d.dispose();
  }
});
