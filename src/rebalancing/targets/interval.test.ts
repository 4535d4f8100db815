import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyCurves, transientCurves } from './birth-death.ts';
import { classify, classRatios } from './classify.ts';
import { failureCurve } from './failure-curve.ts';
import { midpoint, targetInterval } from './interval.ts';

function curves(pEmpty: number[], pFull: number[]) {
  const c = emptyCurves(pEmpty.length - 1);
  c.pEmpty.set(pEmpty);
  c.pFull.set(pFull);
  return c;
}

describe('target interval', () => {
  it('is the starts whose risk of running empty or full is within 1 - service', () => {
    const c = curves([1, 0.5, 0.2, 0.06, 0.03, 0.02], [0.01, 0.02, 0.05, 0.04, 0.3, 1]);
    // Risks (sums): 1.01, 0.52, 0.25, 0.10, 0.33, 1.02.
    assert.deepEqual(targetInterval(c, 0.9), { min: 3, max: 3, feasible: true });
    assert.deepEqual(targetInterval(c, 0.7), { min: 2, max: 3, feasible: true });
    assert.deepEqual(targetInterval(c, 0.9, false), { min: 3, max: 5, feasible: true });
    // Each risk alone within 0.1 is not enough when together they exceed it.
    const both = curves([1, 0.5, 0.08, 0.02], [0.01, 0.02, 0.08, 1]);
    assert.deepEqual(targetInterval(both, 0.9), { min: 2, max: 2, feasible: false });
    // Were the sum to qualify in two runs, every start of [min, max] still qualifies (the longest run).
    const twice = curves([1, 0.05, 0.02, 0.01, 0.01, 0.01, 0], [0, 0, 0.1, 0.01, 0.02, 0.05, 1]);
    assert.deepEqual(targetInterval(twice, 0.9), { min: 3, max: 5, feasible: true });
  });

  it('falls back to the least risky start when none is safe enough', () => {
    const c = curves([1, 0.6, 0.4, 0.3], [0.2, 0.3, 0.5, 1]);
    assert.deepEqual(targetInterval(c, 0.9), { min: 1, max: 1, feasible: false });
  });

  it('narrows as the service level rises (real curves)', () => {
    const r = { stepHours: 0.25, pickups: Float64Array.from(Array(12).fill(4)), returns: Float64Array.from(Array(12).fill(3)) };
    const cv = transientCurves(30, r);
    let prev = targetInterval(cv, 0.5);
    for (const s of [0.7, 0.8, 0.9, 0.95]) {
      const next = targetInterval(cv, s);
      assert.ok(next.min >= prev.min && next.max <= prev.max, `service ${s}`);
      prev = next;
    }
    assert.ok(prev.feasible);
    // The interval's ends really are the boundary: one bike less / more breaks the service level.
    const i = targetInterval(cv, 0.9);
    const risk = (n: number) => cv.pEmpty[n]! + cv.pFull[n]!;
    assert.ok(risk(i.min) <= 0.1 && risk(i.min - 1) > 0.1);
    assert.ok(risk(i.max) <= 0.1 && risk(i.max + 1) > 0.1);
    assert.equal(midpoint(i), Math.floor((i.min + i.max) / 2));
  });

  it('rejects a service level outside (0, 1)', () => {
    assert.throws(() => targetInterval(curves([1, 0], [0, 1]), 1), RangeError);
  });
});

describe('failure curve', () => {
  it('adds rentals and returns and finds the best start', () => {
    const c = emptyCurves(3);
    c.failedRentals.set([3, 1, 0.5, 0.2]);
    c.failedReturns.set([0, 0.1, 0.4, 2]);
    const f = failureCurve(c);
    assert.deepEqual(f.total.map((x) => Math.round(x * 10) / 10), [3, 1.1, 0.9, 2.2]);
    assert.equal(f.best, 2);
    assert.equal(failureCurve(c, 0).best, 3);
  });
});

describe('classes', () => {
  const iv = { min: 4, max: 9, feasible: true };
  it('shortage, surplus, balanced with bikes to bring or take', () => {
    assert.deepEqual(classify(1, iv), { class: 'shortage', bring: 3, take: 0 });
    assert.deepEqual(classify(12, iv), { class: 'surplus', bring: 0, take: 3 });
    assert.deepEqual(classify(4, iv), { class: 'balanced', bring: 0, take: 0 });
    assert.deepEqual(classify(9, iv), { class: 'balanced', bring: 0, take: 0 });
  });
  it('ratios for the system and per district', () => {
    const r = classRatios([
      { ...classify(1, iv), district: 'A' },
      { ...classify(5, iv), district: 'A' },
      { ...classify(20, iv), district: 'B' },
      { ...classify(2, iv), district: null },
    ]);
    assert.equal(r.system.stations, 4);
    assert.equal(r.system.shortage_ratio, 0.5);
    assert.equal(r.system.surplus_ratio, 0.25);
    assert.equal(r.system.bring, 5);
    assert.equal(r.system.take, 11);
    assert.equal(r.districts['A']!.shortage_ratio, 0.5);
    assert.equal(r.districts['B']!.surplus, 1);
    assert.equal(r.districts['(none)']!.shortage, 1);
  });
});
