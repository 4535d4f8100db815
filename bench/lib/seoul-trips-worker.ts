// One measured run of the Seoul trip benchmark, in its own process so that its peak RSS is its own:
//   ours <file> <db>      urbanlab's import (hash, detection, staging, checks, insert, commit)
//   duckdb <file> <db>    DuckDB's own read_csv of the same file into a table (auto-detected)
// Prints one JSON line: {"mode", "seconds", "rows", "maxRssMiB", "rejected"}.
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { runImport } from '../../src/platform/import/run-import.ts';
import { importer } from '../../src/platform/import/seoul-trips.ts';
import { openStore } from '../../src/platform/store/connection.ts';
import { sqlString } from '../../src/platform/import/file-input.ts';
import { asSystemId } from '../../src/platform/ids.ts';

const [mode, file, db, encoding] = process.argv.slice(2) as [string, string, string, string | undefined];
for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
let out: Record<string, unknown>;
if (mode === 'ours') {
  const store = await openStore(db);
  const t = performance.now();
  const s = await runImport(store, importer, [file], { system: asSystemId('seoul') });
  const seconds = (performance.now() - t) / 1000;
  await store.close();
  out = { mode, seconds, rows: s.imported, rejected: s.rejected };
} else {
  const instance = await DuckDBInstance.create(db);
  const c = await instance.connect();
  const t = performance.now();
  // DuckDB cannot decode CP949 without a downloaded extension: it reads those bytes as latin-1.
  const enc = encoding === 'cp949' ? ", encoding = 'latin-1'" : '';
  await c.run(`CREATE TABLE t AS SELECT * FROM read_csv(${sqlString(file)}${enc})`);
  const seconds = (performance.now() - t) / 1000;
  const rows = Number((await c.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]![0]);
  c.closeSync();
  instance.closeSync();
  out = { mode, seconds, rows };
}
for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
process.stdout.write(JSON.stringify({ ...out, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
