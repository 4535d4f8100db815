// Fuzz of the importers (issue 20): random cuts and corruptions of the real samples (a cut at any
// byte, the file re-encoded as CP949 or with a BOM, two columns swapped, a field replaced by random
// text or bytes, a stray quote). Whatever the file, an import either stores every record or rejects
// it by reason (imported + duplicates + rejected = the records in the file), or refuses the file
// with an ImportError/UserError naming it and leaves the store as it was. Never another error (a
// stack trace for the user), never a half-written store. Few runs per importer (each is a real
// DuckDB import, ~0.1 s CPU): the seed changes per run, fast-check prints it on a failure.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { dataFile } from '../src/platform/bundled-data.ts';
import { UserError } from '../src/platform/errors.ts';
import { ImportError } from '../src/platform/import/errors.ts';
import { loadImporter } from '../src/platform/import/registry.ts';
import { asSystemId } from '../src/platform/ids.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { mutation, mutate, recordsIn } from './helpers/import-mutations.ts';
import { tempStore } from './helpers/store.ts';

const CASES = [
  { kind: 'seoul-trips', file: 'seoul/trips/trip_history_sample_17col_999rows.csv', system: 'seoul', rows: 30 },
  { kind: 'gbfs-trips', file: 'trips/divvy_2020-Q1_first_10k_rows.csv', system: 'divvy', rows: 30 },
  { kind: 'gbfs-trips', file: 'trips/baywheels_fordgobike_2019-02-26_28.csv', system: 'baywheels', rows: 30 },
] as const;

for (const c of CASES) {
  test(`fuzz ${c.kind} on cuts of ${c.file}: stored or rejected with counts that add up, or refused naming the file; the store never half-written`, async () => {
    const t = await tempStore();
    const importer = await loadImporter(c.kind);
    const lines = readFileSync(dataFile(c.file), 'utf-8').replace(/^\uFEFF/, '').split('\n').slice(0, c.rows + 1);
    let n = 0;
    const counts = async () => (await t.store.all<{ k: string; n: number }>(
      "SELECT 'imports' AS k, count(*) AS n FROM imports UNION ALL SELECT 'trips', count(*) FROM trips UNION ALL SELECT 'stations', count(*) FROM stations UNION ALL SELECT 'rejects', count(*) FROM import_rejects ORDER BY k"))
      .map((r) => `${r.k}=${r.n}`).join(' ');
    try {
      await fc.assert(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const buf = mutate(lines, ms);
        const f = join(t.dir, `fuzz_${++n}.csv`);
        writeFileSync(f, buf);
        const before = await counts();
        try {
          const s = await runImport(t.store, importer, [f], { system: asSystemId(c.system) });
          const file = s.files[0]!;
          if (file.skipped) return;
          const rejected = Object.values(file.rejected).reduce((a, b) => a + b, 0);
          assert.equal(file.imported + file.duplicates + rejected, recordsIn(buf), `${JSON.stringify(ms)}: ${JSON.stringify(file)}`);
        } catch (err) {
          assert.ok(err instanceof ImportError || err instanceof UserError, `${JSON.stringify(ms)}: not a user's error: ${(err as Error).stack}`);
          assert.ok(err instanceof UserError || err.message.startsWith(f), `${JSON.stringify(ms)}: the message does not name the file: ${err.message}`);
          assert.equal(await counts(), before, `${JSON.stringify(ms)}: the store changed after a refused import`);
        }
      }), { numRuns: 12 });
    } finally {
      await t.dispose();
    }
  });
}
