// `urbanlab export <table> --parquet <dir>`
import type { Command } from 'commander';

export function registerExport(program: Command): void {
  program.command('export').description('export a table as Hive-partitioned Parquet (not implemented yet)');
}
