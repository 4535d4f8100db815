import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, parseRetryAfter } from './backoff.ts';
import { gapBetween, pollIntervalMs } from './schedule.ts';

test('backoff doubles, is capped, and keeps at least half of the delay', () => {
  const opts = { baseMs: 100, maxMs: 1000 };
  assert.equal(backoffDelay(0, () => 0, opts), 50);
  assert.equal(backoffDelay(0, () => 1, opts), 100);
  assert.equal(backoffDelay(3, () => 1, opts), 800);
  assert.equal(backoffDelay(10, () => 1, opts), 1000);
});

test('Retry-After as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-11-25T00:00:00Z');
  assert.equal(parseRetryAfter('7', now), 7000);
  assert.equal(parseRetryAfter('Wed, 25 Nov 2026 00:00:30 GMT', now), 30000);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

test('polls at the ttl, never under the floor, with jitter on top', () => {
  const s = { floorS: 30, jitter: 0.1, defaultS: 60 };
  assert.equal(pollIntervalMs(5, () => 0, s), 30_000);
  assert.equal(pollIntervalMs(120, () => 0, s), 120_000);
  assert.equal(pollIntervalMs(120, () => 1, s), 132_000);
  assert.equal(pollIntervalMs(undefined, () => 0, s), 60_000);
});

test('a gap is a silence longer than factor x interval', () => {
  assert.equal(gapBetween(undefined, 1000, 60_000), undefined);
  assert.equal(gapBetween(0, 120_000, 60_000), undefined);
  assert.deepEqual(gapBetween(0, 120_001, 60_000), { start: 0, end: 120_001 });
});
