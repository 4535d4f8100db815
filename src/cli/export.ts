// `urbanlab export <table> --parquet <dir>` and `urbanlab archive --parquet <dir>`: the store's
// tables and every imported file's rows as Hive-partitioned Parquet (system=<id>/date=<day>).
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import { archiveImports, EXPORTABLE, exportTable, type ArchiveResult, type ExportResult } from '../platform/store/export.ts';
import { formatNumber } from '../platform/output/table.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface ExportOptions extends CommonOptions {
  parquet?: string;
  overwrite?: boolean;
}

interface ArchiveOptions extends CommonOptions {
  parquet?: string;
  import?: string[];
}

export function registerExport(program: Command): void {
  withCommonOptions(
    program
      .command('export')
      .description('export a table as Hive-partitioned Parquet (system=<id>/date=<UTC day>/part-N.parquet)')
      .argument('<table>', `one of: ${Object.keys(EXPORTABLE).join(', ')}`)
      .option('--parquet <dir>', 'the folder to write (the dataset root)')
      .option('--overwrite', 'replace what the folder holds'),
  ).action(async (table: string, opts: ExportOptions) => {
    if (!opts.parquet) throw new UserError('export: give --parquet <dir>');
    const dir = opts.parquet;
    const result = await withStore(opts, (store) => exportTable(store, table, dir, { existing: opts.overwrite ? 'replace' : 'error' }), 'copy-when-held');
    emit(opts, result, () => describeExport(result));
  });

  withCommonOptions(
    program
      .command('archive')
      .description("write every imported file's rows as Hive-partitioned Parquet: <dir>/<table>/system=<id>/date=<day>/import-<id>_N.parquet")
      .option('--parquet <dir>', 'the archive root')
      .option('--import <ids...>', 'only these import ids (default: every import in the store)'),
  ).action(async (opts: ArchiveOptions) => {
    if (!opts.parquet) throw new UserError('archive: give --parquet <dir>');
    const dir = opts.parquet;
    const ids = opts.import?.map((s) => {
      if (!/^\d+$/.test(s)) throw new UserError(`archive: --import takes import ids (numbers), not '${s}'`);
      return Number(s);
    });
    const result = await withStore(opts, (store) => archiveImports(store, dir, ids));
    emit(opts, result, () => describeArchive(result));
  });
}

export function describeExport(r: ExportResult): string {
  return `export ${r.table}: ${formatNumber(r.rows)} rows in ${formatNumber(r.files.length)} file(s), ${formatNumber(r.bytes)} bytes, under ${r.dir} (partitioned by ${r.partitionBy.join(', ')})`;
}

export function describeArchive(r: ArchiveResult): string {
  const lines = r.tables.map((t) => `  ${t.table}: ${formatNumber(t.rows)} rows in ${formatNumber(t.files.length)} file(s), ${formatNumber(t.bytes)} bytes`);
  return [`archive: ${formatNumber(r.imports.length)} import(s), ${formatNumber(r.rows)} rows, ${formatNumber(r.files)} file(s), ${formatNumber(r.bytes)} bytes under ${r.dir}`, ...lines].join('\n');
}
