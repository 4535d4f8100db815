import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kstString, parseTime } from './time.ts';

test('times: dates and zone-less times are KST; explicit zones are kept; nonsense is refused', () => {
  assert.equal(new Date(parseTime('2022-07-01')!).toISOString(), '2022-06-30T15:00:00.000Z');
  assert.equal(new Date(parseTime('2022-07-01T09:00')!).toISOString(), '2022-07-01T00:00:00.000Z');
  assert.equal(new Date(parseTime('2022-07-01T09:00Z')!).toISOString(), '2022-07-01T09:00:00.000Z');
  assert.equal(new Date(parseTime('2022-07-01T09:00+02:00')!).toISOString(), '2022-07-01T07:00:00.000Z');
  assert.equal(parseTime('2022-02-30'), undefined);
  assert.equal(parseTime('tomorrow'), undefined);
  assert.equal(kstString(Date.parse('2022-06-30T15:00:00Z')), '2022-07-01T00:00+09:00');
});
