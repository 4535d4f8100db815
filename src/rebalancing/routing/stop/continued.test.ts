import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Continued } from './continued.ts';
import { MaxIterations } from './max-iterations.ts';
import { MaxRuntime } from './max-runtime.ts';
import { UntilProgress } from './until-progress.ts';

test('a continued iteration budget ends where the whole one does, its progress spanning the rest', () => {
  const rest = new Continued(new MaxIterations(100), 40);
  assert.equal(rest.done(59), false);
  assert.equal(rest.done(60), true);
  assert.equal(rest.progress(0), 0);
  assert.ok(Math.abs(rest.progress(30) - 0.5) < 1e-12);
  assert.equal(rest.progress(60), 1);
});

test('a continued time budget keeps the same clock', () => {
  let now = 0;
  const whole = new MaxRuntime(1000, () => now);
  now = 250;
  const rest = new Continued(whole, 7);
  assert.equal(rest.progress(0), 0);
  now = 625;
  assert.ok(Math.abs(rest.progress(0) - 0.5) < 1e-12);
  assert.equal(rest.done(0), false);
  now = 1000;
  assert.equal(rest.done(0), true);
});

test('the first share of a budget ends when that share is spent, or the whole budget is', () => {
  const whole = new MaxIterations(100);
  const head = new UntilProgress(whole, 0.6);
  assert.equal(head.done(59), false);
  assert.equal(head.done(60), true);
  assert.equal(head.progress(30), 0.5);
  const rest = new Continued(whole, 60);
  assert.equal(rest.done(39), false);
  assert.equal(rest.done(40), true);
});
