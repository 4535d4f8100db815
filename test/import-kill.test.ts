// Atomicity against a hard kill: `kill -9` in the middle of an import leaves the store exactly as it
// was, and the same import afterwards completes. The file is the real Seoul trip sample spread to
// 400,000 distinct trips (same published 17-column layout, bench/lib/seoul-trip-month.ts), so the import runs long enough to be interrupted.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile, repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { tempDir } from './helpers/store.ts';
import { writeSeoulTripMonth } from '../bench/lib/seoul-trip-month.ts';

const CLI = join(repoRoot(), 'bin/urbanlab.js');

async function counts(db: string): Promise<{ trips: number; imports: number; rejects: number }> {
  const store = await openStore(db);
  try {
    const [r] = await store.all<{ trips: number; imports: number; rejects: number }>(
      'SELECT (SELECT count(*) FROM trips) AS trips, (SELECT count(*) FROM imports) AS imports, (SELECT count(*) FROM import_rejects) AS rejects');
    return r!;
  } finally {
    await store.close();
  }
}

test('kill -9 during an import leaves the store as it was; the import then succeeds', async () => {
  const d = tempDir();
  try {
    const db = join(d.dir, 'k.duckdb');
    const sample = dataFile('seoul/trips/trip_history_sample_17col_999rows.csv');
    // A first, completed import: the state the killed one must not disturb.
    const first = spawnSync(process.execPath, [CLI, 'import', 'seoul-trips', sample, '--db', db, '--json'], { encoding: 'utf-8' });
    assert.equal(first.status, 0, first.stderr);
    const before = await counts(db);
    assert.equal(before.trips, 999);

    // 400,000 distinct trips (the store keeps a trip once): the sample's rows spread over a month,
    // a row used again on a day with another bike, UTF-8 with CRLF as the city publishes.
    const big = join(d.dir, 'trips_400k_17col.csv');
    await writeSeoulTripMonth({ sample, out: big, rows: 400_000, month: '2025-06', encoding: 'utf-8' });

    const child = spawn(process.execPath, [CLI, 'import', 'seoul-trips', big, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    // Kill once the import is well under way (it has hashed the file and begun loading), not at start-up.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(child.exitCode, null, `the import finished before it could be killed: ${stderr}`);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    assert.deepEqual(await counts(db), before, 'the store is exactly as before the killed import');
    const again = spawnSync(process.execPath, [CLI, 'import', 'seoul-trips', big, '--db', db, '--json'], { encoding: 'utf-8' });
    assert.equal(again.status, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { imported: number }).imported, 400_000);
    assert.equal((await counts(db)).trips, 400_999);
  } finally {
    d.dispose();
  }
});
