// `urbanlab collect`: poll a live feed (GBFS or Seoul's bikeList) into the store until stopped,
// archiving every raw payload; or `--once` for one snapshot; or `--replay <dir>` to re-parse an archive.
import type { Command } from 'commander';
import { DEFAULT_FETCH, fetchJson, realFetchDeps } from '../platform/collect/fetch-json.ts';
import { GbfsSource, type Fetcher } from '../platform/collect/gbfs-source.ts';
import { abortableSleep, runPoller, type PollerStats } from '../platform/collect/poller.ts';
import { ReplaySource } from '../platform/collect/replay-source.ts';
import { DEFAULT_SEOUL_BASE } from '../platform/collect/seoul-bikelist.ts';
import { SeoulSource } from '../platform/collect/seoul-source.ts';
import type { SnapshotSource } from '../platform/collect/sources.ts';
import { UserError } from '../platform/errors.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface CollectOptions extends CommonOptions {
  source?: string;
  url?: string;
  key?: string;
  system?: string;
  archive: string;
  once?: boolean;
  replay?: string;
  floor: string;
  jitter: string;
  timeout: string;
  retries: string;
  gapFactor: string;
  logFormat: string;
  wait: string;
}

export function registerCollect(program: Command): void {
  withCommonOptions(
    program
      .command('collect')
      .description('poll a live feed into the store until stopped (SIGINT/SIGTERM finish the current write), archiving every payload')
      .option('--source <kind>', 'gbfs | seoul')
      .option('--url <url>', 'GBFS: gbfs.json or a station_status URL; Seoul: the API base', undefined)
      .option('--key <key>', "Seoul: the open API key")
      .option('--system <name>', 'system id (GBFS default: system_information.system_id; Seoul: seoul)')
      .option('--archive <dir>', 'where raw payloads are archived (Hive-partitioned, gzip)', 'archive')
      .option('--once', 'take one snapshot and exit (cron, tests)')
      .option('--replay <dir>', 're-parse an archive folder into the store instead of polling')
      .option('--floor <seconds>', 'never poll faster than this, whatever the ttl', '60')
      .option('--jitter <fraction>', 'random extra wait, as a fraction of the interval', '0.1')
      .option('--timeout <seconds>', 'HTTP timeout per request', '15')
      .option('--retries <n>', 'retries per request (exponential backoff with jitter)', '4')
      .option('--gap-factor <k>', 'no good snapshot for k intervals is a gap', '2')
      .option('--wait <seconds>', 'when another process (an import) holds the store, wait up to this long for it', '120')
      .option('--log-format <format>', 'text | json (structured logs on stderr)', 'text'),
  ).action(async (opts: CollectOptions) => {
    const json = opts.logFormat === 'json';
    const log = (event: string, fields: Record<string, unknown>) => {
      if (json) process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), event, ...fields }) + '\n');
      else if (event !== 'snapshot') process.stderr.write(`${new Date().toISOString()} ${event} ${JSON.stringify(fields)}\n`);
    };
    const status = json || opts.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
    const num = (v: string, name: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new UserError(`--${name} must be a non-negative number, got '${v}'`);
      return n;
    };
    const controller = new AbortController();
    const stop = () => { log('stopping', { reason: 'signal' }); controller.abort(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const deps = realFetchDeps(log);
    const fetchOpts = { ...DEFAULT_FETCH, timeoutMs: num(opts.timeout, 'timeout') * 1000, retries: num(opts.retries, 'retries') };
    // Sleeps between retries end early on a stop, so a signal never waits out a backoff.
    deps.sleep = (ms) => abortableSleep(ms, controller.signal);
    const fetcher: Fetcher = (url, onBody) => fetchJson(url, deps, fetchOpts, onBody);

    const results = await withStore(opts, async (store) => {
      const sources: SnapshotSource[] = [];
      if (opts.replay) {
        sources.push(...(await ReplaySource.create(opts.replay, store, opts.system)));
        if (sources.length === 0) throw new UserError(`${opts.replay}: no archived payloads found`);
      } else if (opts.source === 'gbfs') {
        if (!opts.url) throw new UserError('collect --source gbfs needs --url <gbfs.json or station_status URL>');
        sources.push(await GbfsSource.create({ url: opts.url, system: opts.system, archiveRoot: opts.archive, fetch: fetcher, store, log, now: Date.now }));
      } else if (opts.source === 'seoul') {
        if (!opts.key) throw new UserError('collect --source seoul needs --key <api key>');
        sources.push(await SeoulSource.create({ key: opts.key, base: opts.url ?? DEFAULT_SEOUL_BASE, system: opts.system ?? 'seoul', archiveRoot: opts.archive, fetch: fetcher, store, now: Date.now }));
      } else {
        throw new UserError("collect needs --source gbfs|seoul (or --replay <dir>)");
      }
      const out: Array<{ system: string } & PollerStats> = [];
      for (const source of sources) {
        // A replay runs as fast as it can, judging gaps against the interval the archive was taken at.
        const replay = source instanceof ReplaySource;
        const stats = await runPoller(source, { store, now: Date.now, random: Math.random, sleep: replay ? async () => undefined : abortableSleep, log, ...(status ? { status } : {}) }, {
          once: Boolean(opts.once),
          schedule: { floorS: replay ? source.medianIntervalS() : num(opts.floor, 'floor'), jitter: replay ? 0 : num(opts.jitter, 'jitter'), defaultS: 60 },
          gapFactor: num(opts.gapFactor, 'gap-factor'),
          signal: controller.signal,
        });
        out.push({ system: source.system, ...stats });
      }
      return out;
    }, 'write', num(opts.wait, 'wait') * 1000);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    emit(opts, { collected: results }, () => results.map((r) => `${r.system}: ${r.polls} polls, ${r.stored} snapshots stored, ${r.duplicates} already stored, ${r.failures} failed fetches, ${r.rejectedPayloads} rejected payloads, ${r.rejectedStations} rejected station rows, ${r.gaps} gaps`).join('\n'));
  });
}
