// `urbanlab serve --config <file>`: the live operations service (src/server), and
// `urbanlab serve token create`: a token for it, printed alone on stdout (the store keeps its hash).
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import { openStore } from '../platform/store/connection.ts';
import { realClock } from '../server/clock.ts';
import { readServeConfig } from '../server/config.ts';
import { readServeMarker } from '../platform/store/serve-marker.ts';
import { startService } from '../server/service.ts';
import { createToken, ROLES, type Role } from '../server/tokens.ts';
import { webBuildNotice } from '../server/web-build.ts';
import { DEFAULT_DB } from './common.ts';

interface ServeOptions { config?: string; db?: string; port?: string; host?: string; logFormat: string }
interface TokenOptions { role?: string; truck?: string; system?: string; db?: string }

export function registerServe(program: Command): void {
  const serve = program
    .command('serve')
    .description('the live operations service: collects every configured system, re-plans on the clock, and serves the HTTP API (docs at /docs, OpenAPI at /openapi.json)')
    .option('--config <file>', 'the service config (JSON; see examples/serve-baywheels.json and docs/service.md)')
    .option('--db <file>', `the DuckDB store (default: the config's "db", else ${DEFAULT_DB})`)
    .option('--port <n>', 'port (default: the config\'s, else 8080; 0 picks a free one)')
    .option('--host <addr>', 'address to listen on (default: the config\'s, else 127.0.0.1)')
    .option('--log-format <format>', 'text | json (structured logs on stderr)', 'text')
    .action(async (opts: ServeOptions) => {
      if (!opts.config) throw new UserError('serve needs --config <file> (see examples/serve-baywheels.json)');
      const config = readServeConfig(opts.config);
      if (opts.port !== undefined) {
        const p = Number(opts.port);
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new UserError(`--port: expected 0..65535, got '${opts.port}'`);
        config.port = p;
      }
      if (opts.host !== undefined) config.host = opts.host;
      const json = opts.logFormat === 'json';
      const log = (event: string, fields: Record<string, unknown>) => {
        if (json) process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), event, ...fields }) + '\n');
        else if (event !== 'snapshot') process.stderr.write(`${new Date().toISOString()} ${event} ${JSON.stringify(fields)}\n`);
      };
      // The dashboard's static files are `npm run build:web`'s (never built here: a start must stay
      // fast); a missing or stale build is said, and the API runs either way.
      const notice = webBuildNotice();
      if (notice) process.stderr.write(`urbanlab serve: warning: ${notice}\n`);
      const store = await openStore(opts.db ?? config.db ?? DEFAULT_DB);
      if (store.created) process.stderr.write(`urbanlab serve: created a new store at ${store.path}\n`);
      const service = await startService({ config, store, clock: realClock, log });
      process.stderr.write(`urbanlab serve: ${service.url} (dashboard ${service.url}/, driver ${service.url}/driver, API ${service.url}/api/v1, docs ${service.url}/docs, health ${service.url}/health); store ${store.path}\n`);
      await new Promise<void>((resolve) => {
        const stop = (sig: string) => { log('stopping', { signal: sig }); resolve(); };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      await service.stop();
      await store.close();
    });

  serve
    .command('token')
    .description('tokens for the service')
    .command('create')
    .description('create a token and print it alone on stdout (the store keeps only its hash)')
    .option('--role <role>', `${ROLES.join(' | ')}`)
    .option('--truck <id>', 'a driver token: the truck it acts for')
    .option('--system <id>', "a driver token: its truck's system (without it, the service binds the token to the system whose fleet has the truck when it first starts with it)")
    .option('--db <file>', `the DuckDB store (default ${DEFAULT_DB})`)
    .action(async (local: TokenOptions, cmd: Command) => {
      // `serve` has a --db of its own, and commander gives an option written after the subcommand to
      // the parent that declares it too: read both, or the token lands in ./urbanlab.duckdb.
      const opts = { ...local, db: local.db ?? (cmd.optsWithGlobals() as { db?: string }).db ?? DEFAULT_DB };
      if (!opts.role || !(ROLES as readonly string[]).includes(opts.role)) throw new UserError(`--role must be one of ${ROLES.join(', ')}`);
      if (opts.role === 'driver' && !opts.truck) throw new UserError('a driver token needs --truck <id>');
      if (opts.role !== 'driver' && opts.truck) throw new UserError('--truck is for driver tokens only');
      if (opts.role !== 'driver' && opts.system) throw new UserError('--system is for driver tokens only');
      const running = readServeMarker(opts.db);
      if (running) throw new UserError(`urbanlab serve (pid ${running.pid}) holds ${opts.db}: create the token through it: POST ${running.url}/api/v1/tokens {"role": "${opts.role}"${opts.truck ? `, "truck": "${opts.truck}"` : ''}} with an admin token`);
      const store = await openStore(opts.db, { create: false });
      try {
        process.stdout.write(`${await createToken(store, opts.role as Role, opts.truck ?? null, Date.now(), opts.system ?? null)}\n`);
      } finally {
        await store.close();
      }
    });
}
