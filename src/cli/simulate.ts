// `urbanlab simulate`: replay real demand for a system and period with each rebalancing policy
// (src/simulation); parse flags, call it, print.
import { asSystemId } from '../platform/ids.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import { openStore } from '../platform/store/connection.ts';
import { systemTimezone } from '../platform/store/systems.ts';
import { parseFleet } from '../rebalancing/planning/fleet.ts';
import { loadDistricts } from '../rebalancing/stats/store.ts';
import { MemoryLog } from '../simulation/event-log.ts';
import { writeRunOutputs } from '../simulation/write-outputs.ts';
import { BUILT, POLICIES, simulate, type PolicyName } from '../simulation/simulate.ts';
import { DEFAULT_DB } from './common.ts';
import { parseInstant, parseMinutes } from './targets.ts';

interface SimulateOptions {
  system?: string;
  from?: string;
  to?: string;
  fleet?: string;
  policy?: string;
  replan: string;
  demand: string;
  seed: string;
  shiftStart: string;
  log?: string;
  out?: string;
  startFill: string;
  progress: boolean;
  db: string;
  json?: boolean;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('replay real demand minute by minute with trucks that drive, under a rebalancing policy (docs/simulate.md)')
    .option('--system <name>', 'system id in the store')
    .option('--from <time>', 'start (ISO 8601)')
    .option('--to <time>', 'end (ISO 8601)')
    .option('--fleet <file>', 'the fleet file (examples/fleet-baywheels-4.json)')
    .option('--policy <name>', `${POLICIES.join(' | ')} | all`)
    .option('--replan <duration>', 'rolling re-plan interval', '15m')
    .option('--demand <source>', 'status | trips', 'status')
    .option('--seed <n>', 'seed (spreading demand inside feed gaps)', '1')
    .option('--shift-start <hh:mm>', "the trucks' shift start, local time, each day", '07:00')
    .option('--log <file>', 'write the event log (JSONL) here; with --policy all, one file per policy (<file>.<policy>.jsonl)')
    .option('--out <dir>', 'write summary.json, each policy\'s event log (events-<policy>.jsonl), the per-hour failure chart and failure maps here')
    .option('--start-fill <share>', 'trip demand: bikes at the start as a share of the docks, where the store has no status at --from', '0.5')
    .option('--no-progress', 'no progress lines on stderr')
    .option('--db <file>', 'the DuckDB store', DEFAULT_DB)
    .option('--json', 'print the figures as JSON')
    .action(async (opts: SimulateOptions) => {
      for (const f of ['system', 'from', 'to', 'fleet', 'policy'] as const) if (!opts[f]) throw new UserError(`simulate needs --${f}`);
      const all = opts.policy === 'all';
      if (!all && !(POLICIES as readonly string[]).includes(opts.policy!)) throw new UserError(`--policy must be one of ${POLICIES.join(', ')}, all; got '${opts.policy}'`);
      if (opts.demand !== 'status' && opts.demand !== 'trips') throw new UserError(`--demand must be status or trips, got '${opts.demand}'`);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) throw new UserError(`--seed must be an integer, got '${opts.seed}'`);
      const replanMinutes = parseMinutes(opts.replan, '--replan');
      if (!(replanMinutes >= 1)) throw new UserError(`--replan must be at least 1 minute, got '${opts.replan}'`);
      const startFill = Number(opts.startFill);
      if (!(startFill >= 0 && startFill <= 1)) throw new UserError(`--start-fill must be a share between 0 and 1, got '${opts.startFill}'`);
      const m = /^(\d{1,2}):(\d{2})$/.exec(opts.shiftStart);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new UserError(`--shift-start: expected hh:mm, got '${opts.shiftStart}'`);
      let fleetText: string;
      try {
        fleetText = readFileSync(opts.fleet!, 'utf8');
      } catch (err) {
        throw new UserError(`--fleet ${opts.fleet}: cannot read it (${(err as Error).message})`);
      }
      const fleet = parseFleet(fleetText, opts.fleet!);
      const policies = all ? [...BUILT] : [opts.policy as PolicyName];
      const logs = new Map<string, MemoryLog>();
      const store = await openStore(opts.db, { readOnly: true });
      let out;
      let districts: Awaited<ReturnType<typeof loadDistricts>> = [];
      let from = 0;
      let to = 0;
      let zone = 'UTC';
      try {
        // --from/--to without an offset are the system's wall clock (src/platform/time).
        zone = await systemTimezone(store, asSystemId(opts.system!));
        from = parseInstant(opts.from!, '--from', zone);
        to = parseInstant(opts.to!, '--to', zone);
        if (!(to > from)) throw new UserError(`--to (${opts.to}) must be after --from (${opts.from})`);
        out = await simulate(store, {
          systemId: opts.system!, from, to, fleet, policies, demand: opts.demand, seed, replanMinutes,
          shiftStartMinutes: Number(m[1]) * 60 + Number(m[2]), startFill,
          ...(opts.log || opts.out ? { logFor: (p: string) => { const l = new MemoryLog(); logs.set(p, l); return l; } } : {}),
          ...(opts.progress ? { progress: (line: string) => process.stderr.write(line + '\n') } : {}),
        });
        if (opts.out) districts = await loadDistricts(store, opts.system!);
      } finally {
        await store.close();
      }
      if (opts.log) {
        mkdirSync(dirname(opts.log), { recursive: true });
        for (const [p, l] of logs) writeFileSync(all ? `${opts.log}.${p}.jsonl` : opts.log, l.jsonl());
      }
      const d = out.data;
      const what = d.demand === 'trips'
        ? `${d.events} rider events from ${d.trips} trips${d.trips_unplaced ? ` (${d.trips_unplaced} more left out: a station without a position)` : ''}; start: ${(d.start_state as { note: string }).note}`
        : `${d.events} rider events from the status log (${d.events_from_gaps} spread over ${d.gaps} feed gaps ${d.gap_spread}), ${d.stale_left_out} stale stations left out`;
      process.stderr.write(`simulate ${opts.system} ${opts.from}..${opts.to}: ${d.stations} stations, ${what}; loaded in ${d.load_seconds} s\n`);
      if (d.censoring) process.stderr.write(`  not in the log: ${JSON.stringify(d.censoring)}\n`);
      for (const x of out.details) process.stderr.write(`  ${x.policy}: ${JSON.stringify(x)}\n`);
      const doc = all ? { runs: [...out.runs, out.observed] } : out.runs[0];
      if (opts.out) {
        const source = d.demand === 'trips'
          ? `Trip demand (${d.trips} trips); ${(d.start_state as { note: string }).note}`
          : `Status-log demand: ${d.events} rider events, ${d.events_from_gaps} of them spread over feed gaps ${d.gap_spread}`;
        const files = writeRunOutputs(opts.out, {
          run: { system: opts.system!, from, to, timeZone: zone, demand: opts.demand as 'status' | 'trips', source, seed },
          summary: { ...doc, details: out.details, data: out.data },
          stations: out.stations, results: out.results, logs, fleet, districts,
        });
        process.stderr.write(`simulate: wrote ${files.length} files in ${opts.out}\n`);
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify(doc) + '\n');
        return;
      }
      for (const r of [...out.runs, out.observed]) process.stdout.write(JSON.stringify(r) + '\n');
    });
}
