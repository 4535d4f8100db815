// A fresh store in a temporary folder for each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/platform/store/connection.ts';

export async function tempStore(): Promise<{ store: Store; path: string; dir: string; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'urbanlab-test-'));
  const path = join(dir, 'test.duckdb');
  const store = await openStore(path);
  return {
    store,
    path,
    dir,
    dispose: async () => {
      await store.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tempDir(): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'urbanlab-test-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
