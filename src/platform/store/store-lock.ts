// DuckDB lets one process write a store at a time; a second one fails with "Could not set lock on
// file ... Conflicting lock is held in <program> (PID n)". This turns that into a message a person
// can act on: which process (its command line, so `urbanlab collect ...` is recognisable) and what
// to do instead.
import { readFileSync } from 'node:fs';

export interface LockHolder {
  pid: number | undefined;
  program: string | undefined;
}

/** The process named in DuckDB's lock error, or null when the error is not a lock conflict. */
export function lockHolder(message: string): LockHolder | null {
  if (!/Could not set lock on file/i.test(message)) return null;
  const m = /held in (.*?) \(PID (\d+)\)/.exec(message);
  return { pid: m ? Number(m[2]) : undefined, program: m?.[1] };
}

/** The holder's command line, read from /proc where there is one (Linux); else the program DuckDB named. */
export function describeHolder(h: LockHolder): string {
  if (h.pid === undefined) return 'another process';
  let cmd: string | undefined;
  try {
    cmd = readFileSync(`/proc/${h.pid}/cmdline`, 'utf-8').split('\u0000').filter((a) => a !== '').join(' ');
  } catch {
    cmd = undefined;
  }
  // `node bin/urbanlab.js collect --source ...`: show it from the command name on.
  const cli = cmd ? /urbanlab(?:\.js)?\s+(.*)$/.exec(cmd) : null;
  const what = cli ? `urbanlab ${cli[1]}` : cmd || h.program || 'a program';
  return `process ${h.pid} (${what.length > 160 ? what.slice(0, 157) + '...' : what})`;
}

export function heldByProcessMessage(path: string, h: LockHolder, waitedMs: number): string {
  const waited = waitedMs > 0 ? ` (waited ${Math.round(waitedMs / 1000)} s)` : '';
  return `the store ${path} is in use by ${describeHolder(h)}${waited}: DuckDB lets one process open a store for writing at a time. ` +
    'Wait for it to finish or stop it (a collector stops cleanly on SIGTERM), give another --db, ' +
    `or work on a copy of the file (cp ${path} /tmp/copy.duckdb)`;
}
