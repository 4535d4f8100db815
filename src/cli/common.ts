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

export async function withStore<T>(opts: CommonOptions, work: (store: Store) => Promise<T>, readOnly = false): Promise<T> {
  const store = await openStore(opts.db, { readOnly });
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

/** Plain fixed-width table for terminals. */
export function table(rows: readonly Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'number' ? formatNumber(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toLocaleString('en-US', { maximumFractionDigits: 3 });
}
