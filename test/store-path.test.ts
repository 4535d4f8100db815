// A --db that is not a store is refused before any work (issue 20, 1): DuckDB would open a CSV,
// JSON or Parquet file as an empty in-memory database, so an import "succeeded" and kept nothing.
// A missing store is created only by commands that bring data in; read commands refuse it. A store
// another process holds is named with that process, never a stack trace (issue 20, 3).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile, repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { tempDir } from './helpers/store.ts';

const CLI = join(repoRoot(), 'bin/urbanlab.js');
const SAMPLE = dataFile('seoul/trips/trip_history_sample_17col_999rows.csv');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf-8' });

test('openStore refuses a path that is not a store, naming the path and what it is', async () => {
  const d = tempDir();
  try {
    const csv = join(d.dir, 'trips.csv');
    copyFileSync(SAMPLE, csv);
    const json = join(d.dir, 'status.json');
    writeFileSync(json, '{"data": {"stations": []}}');
    const gz = dataFile('gbfs/baywheels/snapshot_times_2022-08_2023-05.csv.gz');
    const parquet = join(d.dir, 'rows.parquet');
    const s = await openStore(join(d.dir, 'make-parquet.duckdb'));
    await s.run(`COPY (SELECT 1 AS x) TO '${parquet}' (FORMAT parquet)`);
    await s.close();
    const folder = join(d.dir, 'folder');
    mkdirSync(folder);
    const cases: [string, RegExp][] = [
      [csv, /trips\.csv: is a CSV \(text\) file, not a DuckDB store/],
      [json, /status\.json: is a JSON file, not a DuckDB store/],
      [parquet, /rows\.parquet: is a Parquet file, not a DuckDB store/],
      [gz, /\.csv\.gz: is a gzip file, not a DuckDB store/],
      [folder, /folder: is a folder, not a store/],
      [join(d.dir, 'no-such-folder', 'x.duckdb'), /its folder .*no-such-folder does not exist/],
    ];
    for (const [path, message] of cases) {
      await assert.rejects(openStore(path), (err: Error) => err.name === 'UserError' && message.test(err.message), path);
    }
    // Nothing was written into the files that were refused.
    assert.equal(readFileSync(csv, 'utf-8'), readFileSync(SAMPLE, 'utf-8'));
    // A missing store: created when the caller writes, refused when it only reads.
    const missing = join(d.dir, 'missing.duckdb');
    await assert.rejects(openStore(missing, { create: false }), /missing\.duckdb: no store there/);
    assert.equal(existsSync(missing), false);
    const made = await openStore(missing);
    assert.equal(made.created, true);
    await made.close();
    const again = await openStore(missing, { create: false });
    assert.equal(again.created, false);
    await again.close();
    // A store whose file is read-only: refused for writing, opened for reading.
    chmodSync(missing, 0o444);
    await assert.rejects(openStore(missing), /missing\.duckdb: the store is not writable/);
    const ro = await openStore(missing, { readOnly: true });
    await ro.close();
  } finally {
    d.dispose();
  }
});

test('the command line: import into a CSV path keeps nothing and says so; info refuses a missing store; import creates one and says so', () => {
  const d = tempDir();
  try {
    const csv = join(d.dir, 'copy.csv');
    copyFileSync(SAMPLE, csv);
    const intoCsv = cli('import', 'seoul-trips', SAMPLE, '--db', csv);
    assert.equal(intoCsv.status, 2, intoCsv.stdout);
    assert.match(intoCsv.stderr, /copy\.csv: is a CSV \(text\) file, not a DuckDB store; nothing was done/);
    assert.doesNotMatch(intoCsv.stdout, /rows imported/);
    assert.doesNotMatch(intoCsv.stderr, /at .*\.ts:\d+/, 'no stack trace');

    const db = join(d.dir, 'new.duckdb');
    const info = cli('info', '--db', db);
    assert.equal(info.status, 2);
    assert.match(info.stderr, /new\.duckdb: no store there/);
    assert.equal(existsSync(db), false, 'a read command does not create the store');

    const imp = cli('import', 'seoul-trips', SAMPLE, '--db', db, '--json', '--quiet');
    assert.equal(imp.status, 0, imp.stderr);
    assert.match(imp.stderr, /created a new store at .*new\.duckdb/);
    assert.equal((JSON.parse(imp.stdout) as { imported: number }).imported, 999);
  } finally {
    d.dispose();
  }
});

test('a store another process holds: the message names the process and what to do, no stack trace', async () => {
  const d = tempDir();
  try {
    const db = join(d.dir, 'held.duckdb');
    const seeded = cli('import', 'seoul-trips', SAMPLE, '--db', db, '--quiet');
    assert.equal(seeded.status, 0, seeded.stderr);
    // A process that holds the store open for writing, as a running collector does.
    const holder = spawn(process.execPath, ['--input-type=module', '-e',
      `import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(${JSON.stringify(db)}); console.log('ready'); setInterval(() => {}, 1000);`],
    { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      // A command that writes: the holder named, what to do, no stack trace.
      const imp = cli('import', 'seoul-trips', SAMPLE, '--db', db, '--quiet');
      assert.equal(imp.status, 2, imp.stderr);
      assert.match(imp.stderr, new RegExp(`held\\.duckdb is in use by process ${holder.pid} \\(`));
      assert.match(imp.stderr, /Wait for it to finish or stop it/);
      assert.doesNotMatch(imp.stderr, /at .*\.ts:\d+|Could not set lock/, 'no stack trace, no raw DuckDB error');
      // info only reads: it reads a copy and says whose and how fresh.
      const info = cli('info', '--db', db, '--json');
      assert.equal(info.status, 0, info.stderr);
      assert.match(info.stderr, new RegExp(`in use by process ${holder.pid} .*reading a copy of it as the holder last wrote the file \\(\\d{4}-`));
      assert.deepEqual((JSON.parse(info.stdout) as { systems: { system: string }[] }).systems.map((x) => x.system), ['seoul']);
      // stats too (its rollups are cached in the copy, never in the held store).
      const stats = cli('stats', '--system', 'seoul', '--db', db, '--json');
      assert.equal(stats.status, 0, stats.stderr);
      assert.match(stats.stderr, new RegExp(`in use by process ${holder.pid} .*reading a copy of it`));
      assert.equal((JSON.parse(stats.stdout) as { summary: { rentals: number } }).summary.rentals, 999);
      // A command that only reads reads a copy of the held store, and says whose and how fresh.
      const copy = await openStore(db, { create: false, copyWhenHeld: true });
      try {
        assert.match(copy.copyOf?.heldBy ?? '', new RegExp(`process ${holder.pid}`));
        assert.ok(copy.copyOf!.writtenAt instanceof Date);
        assert.deepEqual(await copy.all('SELECT count(*) AS n FROM systems'), [{ n: 1 }]);
      } finally {
        await copy.close();
      }
      // A bounded wait: openStore retries until the holder lets go.
      const started = Date.now();
      setTimeout(() => holder.kill('SIGTERM'), 600);
      const s = await openStore(db, { waitMs: 10_000 });
      await s.close();
      assert.ok(Date.now() - started >= 500, 'it waited for the holder');
    } finally {
      holder.kill('SIGKILL');
    }
  } finally {
    d.dispose();
  }
});
