import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulatedPanel } from '../../../../test/forecast/simulate.ts';
import { fitStationModel } from './station-gbdt.ts';

test('the fit says what it fits, how far it is (k/4) and how long it has taken, then that it is done (issue 19: forecast fit progress)', () => {
  const T = 5 * 168;
  const p = simulatedPanel(6, T, () => 1, 3);
  const lines: string[] = [];
  fitStationModel(p, T, { maxTrainRows: 5_000, validationDays: 7, gbdt: { trees: 5, maxLeaves: 4 } }, (m) => lines.push(m));
  assert.equal(lines.length, 5, lines.join('\n'));
  const steps = ['held-out pickups', 'held-out returns', 'final pickups', 'final returns'];
  steps.forEach((what, i) => assert.match(lines[i]!, new RegExp(`^forecast fit ${i + 1}/4: ${what} trees on [\\d,]+ station-hours \\(\\d+ s so far${i > 0 ? ', about \\d+ s left' : ''}\\)$`)));
  assert.match(lines[4]!, /^forecast fit done in \d+\.\d s$/);
});
