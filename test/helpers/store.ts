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

/** Runs `work` on a fresh store and removes the store afterwards, whether the work passes or throws. */
export async function withTempStore(work: (t: Awaited<ReturnType<typeof tempStore>>) => Promise<void>): Promise<void> {
  const t = await tempStore();
  try {
    await work(t);
  } finally {
    await t.dispose();
  }
}
