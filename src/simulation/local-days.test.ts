// The simulator's local days (shift starts, 06-22 h service windows) on Los Angeles' DST days,
// whatever the host's TZ: wall-clock times read through src/platform/time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayWindows } from './day-window.ts';
import { shiftStarts } from './simulate.ts';

const LA = 'America/Los_Angeles';
const s = (iso: string) => Date.parse(iso) / 1000;
const iso = (sec: number) => new Date(sec * 1000).toISOString();

test('shift starts stay at the local wall-clock time across the spring and fall changes', () => {
  // 2023-03-12 springs forward at 02:00 (PST -8 -> PDT -7); 04:28 local is 11:28Z that day.
  const spring = shiftStarts(s('2023-03-11T08:00:00Z'), s('2023-03-14T08:00:00Z'), LA, 4 * 60 + 28).map(iso);
  assert.deepEqual(spring, ['2023-03-10T12:28:00.000Z', '2023-03-11T12:28:00.000Z', '2023-03-12T11:28:00.000Z', '2023-03-13T11:28:00.000Z']);
  // 2023-11-05 falls back at 02:00 (PDT -7 -> PST -8); 05:00 local is 13:00Z that day.
  const fall = shiftStarts(s('2023-11-05T07:00:00Z'), s('2023-11-06T08:00:00Z'), LA, 5 * 60).map(iso);
  assert.deepEqual(fall, ['2023-11-04T12:00:00.000Z', '2023-11-05T13:00:00.000Z']);
  // The same shift in Seoul (no DST): always 20:00Z the day before.
  assert.deepEqual(shiftStarts(s('2023-03-12T15:00:00Z'), s('2023-03-13T15:00:00Z'), 'Asia/Seoul', 5 * 60).map(iso), ['2023-03-11T20:00:00.000Z', '2023-03-12T20:00:00.000Z']);
});

test('the 06-22 h service day is 16 wall-clock hours on DST days, cut to [from, to)', () => {
  const spring = dayWindows(s('2023-03-12T08:00:00Z'), s('2023-03-13T07:00:00Z'), LA).map(([a, b]) => [iso(a), iso(b)]);
  assert.deepEqual(spring, [['2023-03-12T13:00:00.000Z', '2023-03-13T05:00:00.000Z']]);
  const fall = dayWindows(s('2023-11-05T07:00:00Z'), s('2023-11-06T08:00:00Z'), LA).map(([a, b]) => [iso(a), iso(b)]);
  assert.deepEqual(fall, [['2023-11-05T14:00:00.000Z', '2023-11-06T06:00:00.000Z']]);
  // A window that starts mid-day is cut at `from`; the next day's is cut at `to`.
  const cut = dayWindows(s('2023-03-12T20:00:00Z'), s('2023-03-13T16:00:00Z'), LA).map(([a, b]) => [iso(a), iso(b)]);
  assert.deepEqual(cut, [['2023-03-12T20:00:00.000Z', '2023-03-13T05:00:00.000Z'], ['2023-03-13T13:00:00.000Z', '2023-03-13T16:00:00.000Z']]);
});
