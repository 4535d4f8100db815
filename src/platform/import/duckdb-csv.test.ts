import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import { recordLine, stageCsv } from './duckdb-csv.ts';

test('recordLine maps a record number back to its file line past skipped records', () => {
  assert.equal(recordLine(1, 1, []), 2);
  const errors = [{ line: 3, lines: 1 }, { line: 6, lines: 2 }];
  assert.equal(recordLine(1, 1, errors), 2); // line 2
  assert.equal(recordLine(2, 1, errors), 4); // line 3 was skipped
  assert.equal(recordLine(3, 1, errors), 5);
  assert.equal(recordLine(4, 1, errors), 8); // lines 6-7 were one bad record
});

test('stageCsv keeps bad records as errors with their lines, and numbers records in file order', () =>
  withTempStore(async (t) => {
    const f = join(t.dir, 'x.csv');
    const lines = ['n,at'];
    for (let i = 1; i <= 30000; i++) lines.push(i === 7 ? `${i},not a date` : i === 9 ? `${i},2020-01-01,extra` : `${i},2020-01-01 00:00:00`);
    writeFileSync(f, lines.join('\n') + '\n');
    const s = await stageCsv(t.store, { path: f, displayPath: f, table: 'st', header: true, encoding: 'utf-8',
      columns: [{ name: 'n', type: 'BIGINT' }, { name: 'at', type: 'TIMESTAMP', label: 'when' }] });
    assert.equal(s.rows, 29998);
    assert.deepEqual(s.errors.map((e) => [e.line, e.type, e.column]), [[8, 'CAST', 'when'], [10, 'TOO MANY COLUMNS', undefined]]);
    // Every record's own number (column n) sits on file line n + 1: recordLine must find it.
    const rows = await t.store.all<{ rec: number; n: number }>('SELECT rowid - (SELECT min(rowid) FROM st) + 1 AS rec, n FROM st');
    for (const r of rows) assert.equal(recordLine(r.rec, 1, s.errors), r.n + 1);
  }));

test('a file with no readable record is an error naming the file and line', () =>
  withTempStore(async (t) => {
    const f = join(t.dir, 'bad.csv');
    writeFileSync(f, 'n,at\n1,yesterday\n');
    await assert.rejects(
      stageCsv(t.store, { path: f, displayPath: f, table: 'st', header: true, encoding: 'utf-8', columns: [{ name: 'n', type: 'BIGINT' }, { name: 'at', type: 'TIMESTAMP' }] }),
      (e: Error) => e.name === 'ImportError' && e.message.includes('bad.csv') && e.message.includes('line 2'),
    );
  }));
