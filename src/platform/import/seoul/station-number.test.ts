import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { normaliseStationNumber, stationNumberSql } from './station-number.ts';

const CASES: [string | null, ReturnType<typeof normaliseStationNumber>][] = [
  ['00210', { kind: 'ok', id: '210' }],
  ['210', { kind: 'ok', id: '210' }],
  ["'210'", { kind: 'ok', id: '210' }],
  [' 01501 ', { kind: 'ok', id: '1501' }],
  ['"00108"', { kind: 'ok', id: '108' }],
  ['', { kind: 'missing' }],
  ['\\N', { kind: 'missing' }],
  ['0000', { kind: 'missing' }],
  [null, { kind: 'missing' }],
  ['중랑센터', { kind: 'not-numbered', value: '중랑센터' }],
  ['위트콤', { kind: 'not-numbered', value: '위트콤' }],
  ['716.<U+C2E0>', { kind: 'not-numbered', value: '716.<U+C2E0>' }],
];

test('station numbers lose padding and quotes; centres and empty values are told apart', () => {
  for (const [raw, want] of CASES) assert.deepEqual(normaliseStationNumber(raw), want, String(raw));
});

test('the SQL twin agrees with the TypeScript rule on every case', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const sql = stationNumberSql('x');
    for (const [raw, want] of CASES) {
      const r = await c.runAndReadAll(`SELECT ${sql.id} AS id, ${sql.status} AS status FROM (SELECT $1::VARCHAR AS x)`, [raw]);
      const [id, status] = r.getRows()[0]!;
      assert.equal(status, want.kind, String(raw));
      assert.equal(id, want.kind === 'ok' ? want.id : null, String(raw));
    }
  } finally {
    c.closeSync();
    db.closeSync();
  }
});
