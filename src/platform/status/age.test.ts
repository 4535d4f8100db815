import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../errors.ts';
import { ageText, judgeAge } from './age.ts';

const T = Date.UTC(2023, 4, 31, 23, 58) / 1000;
const DAY = 86400;

test('within the data: no note, age 0', () => {
  assert.deepEqual(judgeAge('bw', T - 3600, T - 3600, DAY, { flag: '--at' }), { age: { latest: T - 3600, ageS: 0 }, note: null });
});

test('past the data within the limit: the age is said', () => {
  const r = judgeAge('bw', T + 7200 + 300, T, DAY, { flag: '--at' });
  assert.equal(r.age.ageS, 7500);
  assert.equal(r.note, "--at 2023-06-01T02:03:00.000Z is 2 h 5 min after the latest status of 'bw' (2023-05-31T23:58:00.000Z)");
});

test('past the limit: refused with the way out, unless allowed', () => {
  assert.throws(() => judgeAge('bw', T + 3 * DAY, T, DAY, { flag: '--from' }), (e: unknown) => e instanceof UserError && /--from .* is 3 d after .* past the staleness limit of 1 d.*--allow-stale/.test((e as Error).message));
  const r = judgeAge('bw', T + 3 * DAY, T, DAY, { flag: '--from', allowStale: true });
  assert.equal(r.age.ageS, 3 * DAY);
  assert.match(r.note!, /used as asked \(--allow-stale\)/);
});

test('no status at all: nothing to judge', () => {
  assert.deepEqual(judgeAge('seoul', T, null, DAY, { flag: '--at' }), { age: { latest: null, ageS: 0 }, note: null });
  assert.equal(ageText(59), '59 s');
  assert.equal(ageText(3 * 3600), '3 h');
});
