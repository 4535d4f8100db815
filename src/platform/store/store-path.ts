// What a `--db` path is, decided before DuckDB sees it: DuckDB opens a CSV, JSON or Parquet file
// given as a database as an in-memory one, so an import into it "succeeds" and keeps nothing.
// A path is a store when its file header carries DuckDB's magic; anything else that exists is
// refused naming what it looks like, and a missing one is created only when the caller writes.
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.ts';

export type StorePathState = 'store' | 'missing' | 'memory';

/** DuckDB's file header: 8 bytes of checksum, then the magic "DUCK". */
const DUCKDB_MAGIC = 'DUCK';

/**
 * Checks `path` as a store: returns 'store' (a DuckDB file), 'missing' (nothing there, and its
 * folder can take one) or 'memory' (':memory:'). Anything else is a UserError naming the path and
 * what it is. `write`: the caller will write, so the file (or its folder) must be writable.
 */
export function checkStorePath(path: string, write: boolean): StorePathState {
  if (path === ':memory:' || path === '') return 'memory';
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`--db ${path}: cannot be read (${(err as NodeJS.ErrnoException).code})`);
    const dir = dirname(resolve(path));
    let dst;
    try {
      dst = statSync(dir);
    } catch {
      throw new UserError(`--db ${path}: its folder ${dir} does not exist`);
    }
    if (!dst.isDirectory()) throw new UserError(`--db ${path}: ${dir} is not a folder`);
    if (write && !canAccess(dir, constants.W_OK)) throw new UserError(`--db ${path}: no store there, and the folder ${dir} is not writable`);
    return 'missing';
  }
  if (st.isDirectory()) throw new UserError(`--db ${path}: is a folder, not a store (give a file, e.g. ${path.replace(/\/$/, '')}/urbanlab.duckdb)`);
  if (!st.isFile()) throw new UserError(`--db ${path}: is not a regular file, not a store`);
  if (!canAccess(path, constants.R_OK)) throw new UserError(`--db ${path}: is not readable`);
  const head = readStart(path, 64);
  if (head.subarray(8, 12).toString('latin1') !== DUCKDB_MAGIC) {
    throw new UserError(`--db ${path}: is ${describeContent(head, st.size)}, not a DuckDB store; nothing was done (give the store's path, or a new path to create one)`);
  }
  if (write && !canAccess(path, constants.W_OK)) throw new UserError(`--db ${path}: the store is not writable (read-only file)`);
  return 'store';
}

function canAccess(path: string, mode: number): boolean {
  // Root passes access(2) for any mode: only the file's own write bits say it is read-only.
  if (mode === constants.W_OK && process.getuid?.() === 0) {
    try {
      const st = statSync(path);
      if ((st.mode & 0o222) === 0) return false;
    } catch {
      return false;
    }
  }
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function readStart(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** What a file that is not a store looks like, from its first bytes (for the message). */
export function describeContent(head: Buffer, size: number): string {
  if (size === 0) return 'an empty file';
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'a Parquet file';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'a gzip file';
  if (head.subarray(0, 15).toString('latin1') === 'SQLite format 3') return 'an SQLite database';
  if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'a zip file';
  const text = head.toString('utf-8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return 'a JSON file';
  if (/^[^\u0000-\u0008\u000e-\u001f]*$/.test(head.toString('latin1'))) return text.includes(',') || text.includes('\t') ? 'a CSV (text) file' : 'a text file';
  return 'a file of another kind';
}
