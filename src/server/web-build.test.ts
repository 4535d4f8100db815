import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { webBuildNotice, webBuildState } from './web-build.ts';

test('serve\'s notice about dist/web: missing, older than src/web, fresh', () => {
  const dist = mkdtempSync(join(tmpdir(), 'urbanlab-web-build-'));
  try {
    assert.equal(webBuildState(dist), 'missing');
    assert.match(webBuildNotice(dist)!, /not built .*npm run build:web/);
    writeFileSync(join(dist, 'index.html'), '<!doctype html>');
    writeFileSync(join(dist, '.built'), 'x');
    utimesSync(join(dist, '.built'), new Date(0), new Date(0)); // built before every source file
    assert.equal(webBuildState(dist), 'stale');
    assert.match(webBuildNotice(dist)!, /older than src\/web.*npm run build:web/);
    const later = new Date(Date.now() + 86_400_000);
    utimesSync(join(dist, '.built'), later, later);
    assert.equal(webBuildState(dist), 'fresh');
    assert.equal(webBuildNotice(dist), null);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});
