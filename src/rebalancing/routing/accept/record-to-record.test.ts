import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordToRecord } from './record-to-record.ts';

test('record-to-record: improvements always; within a band above the best that closes as the search ends', () => {
  const a = new RecordToRecord(0.01);
  assert.ok(a.accept(99, 100, 90, 0.5)); // better than the current
  assert.ok(a.accept(-100.5, -100, -101, 0)); // negative costs: band 1.01 above the best -101
  assert.ok(!a.accept(-99.9, -100, -101, 0));
  assert.ok(a.accept(1000.5, 1000, 1000, 0.9)); // band 1 at 90%
  assert.ok(!a.accept(1001.5, 1000, 1000, 0.9));
  assert.ok(!a.accept(1000.01, 1000, 1000, 1)); // no band at the end
});
