import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CELLS, type CellProfile } from './baselines.ts';
import { shrunkProfile } from './neighbours.ts';

// Two stations, prior 3 per hour in every cell. Station 0 has no hours; station 1 was observed
// 5 hours in each of the first 24 cells (120 hours) at 0.3 per hour, nothing in the other cells.
function profile(): { prof: CellProfile; prior: Float64Array } {
  const mean = new Float64Array(2 * CELLS).fill(1);
  const count = new Float64Array(2 * CELLS);
  for (let c = 0; c < 24; c++) {
    mean[CELLS + c] = 0.3;
    count[CELLS + c] = 5;
  }
  return { prof: { mean, count, global: new Float64Array(CELLS).fill(1) }, prior: new Float64Array(2 * CELLS).fill(3) };
}

test('without own hours the profile is the prior', () => {
  const { prof, prior } = profile();
  const out = shrunkProfile(prof, prior, 16, 5);
  for (let c = 0; c < CELLS; c++) assert.equal(out[c], 3);
});

test('the level step carries a station\'s own level into the cells it has not seen', () => {
  const { prof, prior } = profile();
  const out = shrunkProfile(prof, prior, 16, 5);
  const r = (0.3 * 120 + 5) / (3 * 120 + 5);
  assert.ok(Math.abs(out[CELLS + 40]! - 3 * r) < 1e-12, `unseen cell ${out[CELLS + 40]}`);
  assert.ok(Math.abs(out[CELLS + 3]! - (1.5 + 16 * 3 * r) / 21) < 1e-12, `seen cell ${out[CELLS + 3]}`);
  assert.ok(out[CELLS + 40]! < 0.4);
  // Without the level step (the earlier rule) the unseen cells stay at the prior and the seen ones near it.
  const cellsOnly = shrunkProfile(prof, prior, 4, 0);
  assert.equal(cellsOnly[CELLS + 40], 3);
  assert.ok(Math.abs(cellsOnly[CELLS + 3]! - (1.5 + 12) / 9) < 1e-12);
});
