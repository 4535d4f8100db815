// What every command shares: --db and --json, opening the store, and printing a result either as
// one JSON document on stdout (nothing else there) or as text for a person.
import type { Command } from 'commander';
import { openStore, type Store } from '../platform/store/connection.ts';
import { silentProgress, stderrProgress, type Progress } from '../platform/util/progress.ts';

export const DEFAULT_DB = 'urbanlab.duckdb';

export interface CommonOptions {
  db: string;
  json?: boolean;
  quiet?: boolean;
}

export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'the DuckDB store', DEFAULT_DB)
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)')
    .option('--quiet', 'no progress on stderr');
}

export function progressFor(opts: CommonOptions): Progress {
  return opts.quiet ? silentProgress : stderrProgress();
}

/**
 * How a command uses the store: 'read' commands need one that exists (a mistyped --db is an
 * error, not an empty store); 'write' commands (the ones that bring data in: import, collect,
 * demo) create a missing one and say so on stderr; 'read-only' opens it read-only (several such
 * readers may share a store no writer holds); 'copy-when-held' (info, stats, export: they write
 * nothing into the store) reads a copy of a store another process (a collector) holds, and says so.
 */
export type StoreAccess = 'read' | 'write' | 'read-only' | 'copy-when-held';

export async function withStore<T>(opts: CommonOptions, work: (store: Store) => Promise<T>, access: StoreAccess = 'read', waitMs = 0): Promise<T> {
  const store = await openStore(opts.db, { create: access === 'write', readOnly: access === 'read-only', copyWhenHeld: access === 'copy-when-held', waitMs });
  if (store.created) process.stderr.write(`urbanlab: created a new store at ${opts.db}\n`);
  if (store.copyOf) {
    process.stderr.write(`urbanlab: ${opts.db} is in use by ${store.copyOf.heldBy}: reading a copy of it as the holder last wrote the file (${store.copyOf.writtenAt.toISOString()}); rows it has not yet checkpointed are not in it\n`);
  }
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function emit(opts: CommonOptions, value: unknown, human: () => string): void {
  if (opts.json) process.stdout.write(JSON.stringify(value, jsonReplacer) + '\n');
  else process.stdout.write(human() + (human().endsWith('\n') ? '' : '\n'));
}

function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v;
}
