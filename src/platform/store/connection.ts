// The store: one embedded DuckDB file. Everything that reads or writes it goes through `Store`,
// so that the session settings (UTC, no progress bar) and the migrations are applied once, here.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { UserError } from '../errors.ts';
import { applyMigrations } from './migrations.ts';
import { heldByServiceMessage } from './serve-marker.ts';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describeHolder, heldByProcessMessage, lockHolder, type LockHolder } from './store-lock.ts';
import { checkStorePath } from './store-path.ts';

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

export interface Store {
  readonly path: string;
  /** True when this open created the file (a new, empty store). */
  readonly created: boolean;
  /** Set when another process held the store and this is a private copy of it (writes stay in the copy) (OpenOptions.copyWhenHeld). */
  readonly copyOf?: { heldBy: string; writtenAt: Date };
  readonly connection: DuckDBConnection;
  /** Run a statement, ignoring its result. */
  run(sql: string, params?: SqlParams): Promise<void>;
  /** Run a query and return its rows as plain JSON-friendly objects (BIGINT as number where safe). */
  all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Run `work` inside one transaction: all of it lands, or none of it does. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /**
   * Another connection to the same database, for a long read beside this connection's statements:
   * its own transactions (each read sees one consistent state of the store, DuckDB's MVCC) and its
   * own queue, so it neither waits behind nor holds up this one. Its close() closes that connection only.
   */
  reader(): Promise<Store>;
  close(): Promise<void>;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** Skip migrations (used by tests of the migration runner itself). */
  migrate?: boolean;
  /**
   * Whether a missing store may be created (default true). Commands that only read pass false: a
   * mistyped --db then fails instead of showing an empty store.
   */
  create?: boolean;
  /** How long to wait for a store another process holds before giving up (default 0: fail at once). */
  waitMs?: number;
  /**
   * Commands that only read: when another process (a collector) holds the store, read a copy of
   * its file instead (what the holder last checkpointed; `copyOf` says by whom and when).
   */
  copyWhenHeld?: boolean;
}

export async function openStore(path: string, options: OpenOptions = {}): Promise<Store> {
  // Before DuckDB sees the path: it would open a CSV or Parquet file as an empty in-memory database.
  const state = checkStorePath(path, !options.readOnly);
  if (state === 'missing' && (options.create === false || options.readOnly)) {
    throw new UserError(`--db ${path}: no store there (nothing imported into this path yet); check the path, or import data into it first (urbanlab import <kind> <files...> --db ${path})`);
  }
  const settings: Record<string, string> = {};
  if (options.readOnly) settings['access_mode'] = 'READ_ONLY';
  const deadline = Date.now() + (options.waitMs ?? 0);
  let instance: DuckDBInstance;
  for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
    try {
      instance = await DuckDBInstance.create(path, settings);
      break;
    } catch (err) {
      const message = (err as Error).message;
      const holder = lockHolder(message);
      if (holder !== null && Date.now() + pause <= deadline) {
        await new Promise((r) => setTimeout(r, pause));
        continue;
      }
      // The service holds it: say where, and how to reach the same data, not DuckDB's lock error.
      const held = heldByServiceMessage(path);
      if (held) throw new UserError(held);
      if (holder !== null && options.copyWhenHeld) return openCopy(path, holder);
      if (holder !== null) throw new UserError(heldByProcessMessage(path, holder, options.waitMs ?? 0));
      throw new UserError(`--db ${path}: cannot open the store: ${message.split('\n')[0]}`);
    }
  }
  const connection = await connectTo(instance);
  const store = makeStore(path, instance, connection, state === 'missing');
  if (options.migrate !== false && !options.readOnly) await applyMigrations(store);
  return store;
}

/**
 * A private copy of a store another process holds, removed on close. It is opened writable so a
 * reader that keeps caches in the store (stats' rollups) works on it too; whatever it writes goes
 * with the copy, never into the held store.
 */
async function openCopy(path: string, holder: LockHolder): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'urbanlab-copy-'));
  const copy = join(dir, basename(path));
  const writtenAt = statSync(path).mtime;
  copyFileSync(path, copy);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(copy);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    throw new UserError(heldByProcessMessage(path, holder, 0));
  }
  const connection = await connectTo(instance);
  const store = makeStore(path, instance, connection, false, { heldBy: describeHolder(holder), writtenAt });
  const close = store.close.bind(store);
  return { ...store, close: async () => { await close(); rmSync(dir, { recursive: true, force: true }); } };
}

async function connectTo(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run('SET enable_progress_bar = false');
  return connection;
}

function makeStore(path: string, instance: DuckDBInstance, connection: DuckDBConnection, created: boolean, copyOf?: Store['copyOf'], ownsInstance = true): Store {
  // One connection, one transaction at a time: concurrent callers (several pollers in one process)
  // queue here; a transaction opened inside another one (same async context) joins it.
  const inTransaction = new AsyncLocalStorage<true>();
  let queue: Promise<unknown> = Promise.resolve();
  const store: Store = {
    path,
    created,
    ...(copyOf ? { copyOf } : {}),
    connection,
    async run(sql, params) {
      if (params === undefined) await connection.run(sql);
      else await connection.run(sql, params);
    },
    async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
      const reader = params === undefined ? await connection.runAndReadAll(sql) : await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map(normaliseRow) as T[];
    },
    async transaction<T>(work: (s: Store) => Promise<T>): Promise<T> {
      if (inTransaction.getStore()) return work(store); // nested: the outer transaction decides
      const run = async (): Promise<T> => {
        await connection.run('BEGIN TRANSACTION');
        try {
          const result = await inTransaction.run(true, () => work(store));
          await connection.run('COMMIT');
          return result;
        } catch (err) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw err;
        }
      };
      const turn = queue.then(run, run);
      queue = turn.catch(() => undefined);
      return turn;
    },
    reader: async () => makeStore(path, instance, await connectTo(instance), false, copyOf, false),
    async close() {
      connection.closeSync();
      if (ownsInstance) instance.closeSync();
    },
  };
  return store;
}

/** BIGINT comes back as bigint; callers want numbers (counts never exceed 2^53 here). */
function normaliseRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = normaliseValue(v);
  return out;
}

function normaliseValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(normaliseValue);
  return v;
}
