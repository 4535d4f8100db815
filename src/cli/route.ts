// `urbanlab route ...`: the routing engine's commands (stage 4).
import type { Command } from 'commander';

export function registerRoute(program: Command): void {
  program.command('route').description('rebalancing routes (stage 4; not implemented yet)');
}
