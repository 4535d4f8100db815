import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import type { Importer } from './importer.ts';
import { runImport } from './run-import.ts';
import { asSystemId } from '../ids.ts';

// A tiny importer over "station_id,bikes" lines, to test the framework without any real parser.
const lines: Importer = {
  kind: 'test-lines',
  description: 'test',
  defaultSystem: asSystemId('test'),
  async load(ctx) {
    const { readFileSync } = await import('node:fs');
    const rows = readFileSync(ctx.file.path, 'utf-8').trim().split('\n');
    let imported = 0;
    for (const [i, row] of rows.entries()) {
      const [id, name] = row.split(',');
      if (id === 'FAIL') throw new Error(`${ctx.file.path}: line ${i + 1}: forced failure`);
      if (!name) { ctx.rejects.add('missing name', { line: i + 1, field: 'name', raw: row }); continue; }
      await ctx.store.run('INSERT INTO stations (system_id, station_id, name, import_id) VALUES ($1, $2, $3, $4)', [ctx.systemId, id!, name, ctx.importId]);
      imported++;
    }
    return { imported };
  },
};

test('importing the same file twice changes nothing the second time', () =>
  withTempStore(async (t) => {
    const f = join(t.dir, 'a.csv');
    writeFileSync(f, '1,one\n2,two\n3,\n');
    const first = await runImport(t.store, lines, [f]);
    assert.equal(first.imported, 2);
    assert.deepEqual(first.rejected, { 'missing name': 1 });
    const second = await runImport(t.store, lines, [f]);
    assert.equal(second.imported, 0);
    assert.equal(second.files[0]!.skipped, true);
    assert.equal((await t.store.all('SELECT * FROM stations')).length, 2);
    assert.equal((await t.store.all('SELECT * FROM imports')).length, 1);
    const samples = await t.store.all<{ line: number; field: string }>('SELECT line, field FROM import_rejects');
    assert.deepEqual(samples.map((s) => [s.line, s.field]), [[3, 'name']]);
  }));

test('a failing file rolls back every file of the same command', () =>
  withTempStore(async (t) => {
    const good = join(t.dir, 'good.csv');
    const bad = join(t.dir, 'bad.csv');
    writeFileSync(good, '1,one\n');
    writeFileSync(bad, '2,two\nFAIL,x\n');
    await assert.rejects(runImport(t.store, lines, [good, bad]), /bad\.csv: line 2/);
    assert.equal((await t.store.all('SELECT * FROM stations')).length, 0);
    assert.equal((await t.store.all('SELECT * FROM imports')).length, 0);
    assert.equal((await t.store.all('SELECT * FROM systems')).length, 0);
  }));

test('a missing file is named in the error', () =>
  withTempStore(async (t) => {
    await assert.rejects(runImport(t.store, lines, [join(t.dir, 'nope.csv')]), /nope\.csv: cannot read file/);
  }));
