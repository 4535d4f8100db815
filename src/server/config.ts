// The service's configuration file (`urbanlab serve --config <file>`): which systems to collect
// and plan, where their fleets are, how often to re-plan, where to listen. Parsed and validated
// here, with errors naming the file and the field; relative paths are read from the file's folder.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../platform/errors.ts';
import { parseFleet } from '../rebalancing/planning/fleet.ts';

export interface SystemConfig {
  id: string;
  /** GBFS: gbfs.json (or station_status) URL. */
  gbfsUrl?: string;
  /** Seoul's bikeList API key, and its base URL (default the city's). */
  seoulKey?: string;
  seoulUrl?: string;
  /** The fleet file (absolute path), or none: collect and publish only. */
  fleet?: string;
  /**
   * Local time (HH:MM, the system's zone) each truck's shift starts, once a day, for its fleet
   * file's `shift_minutes`; absent: shifts follow each other from local midnight (loop/shift.ts).
   */
  shiftStart?: string;
}

export interface ServeConfig {
  file: string;
  systems: SystemConfig[];
  /** The store, when --db is not given. */
  db?: string;
  host: string;
  port: number;
  /** Raw payload archive root. */
  archive: string;
  replanMinutes: number;
  /** Local time (HH:MM, each system's zone) of the nightly forecast refit. */
  refitAt: string;
  /** Hours of flows the refit trains on at most (rows per flow), as `forecast fit --max-rows`. */
  fitMaxRows: number;
  horizonMinutes: number;
  serviceLevel: number;
  planTimeLimitS: number;
  planMaxIterations: number;
  /** Issue plans without an operator's approval. */
  autoApprove: boolean;
  /** Never poll a feed faster than this (s). */
  pollFloorS: number;
  /** A feed without a good snapshot for this long is stale: targets are marked stale, no re-plan. */
  feedStaleMinutes: number;
  /** Origins allowed by CORS; empty: closed. */
  corsOrigins: string[];
  /** Requests per minute per client address. */
  rateLimitPerMinute: number;
  /** Largest request body accepted (bytes). */
  bodyLimitBytes: number;
}

export const CONFIG_DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  archive: 'archive',
  replan_minutes: 15,
  refit_at: '03:00',
  fit_max_rows: 100_000,
  horizon_minutes: 180,
  service_level: 0.9,
  plan_time_limit_s: 10,
  // 0: the time limit alone bounds the search. A count makes the plan the same on a slow or a busy
  // machine (the time limit still caps it): tests and replays use it.
  plan_max_iterations: 0,
  auto_approve: true,
  poll_floor_s: 60,
  feed_stale_minutes: 30,
  cors_origins: [] as string[],
  rate_limit_per_minute: 1200,
  body_limit_bytes: 16 * 1024,
} as const;

const TOP_KEYS = new Set(['systems', 'db', ...Object.keys(CONFIG_DEFAULTS)]);
const SYSTEM_KEYS = new Set(['id', 'gbfs_url', 'seoul_key', 'seoul_url', 'fleet', 'shift_start']);

export function readServeConfig(file: string): ServeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`config ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const config = parseServeConfig(text, file);
  checkTruckIds(config);
  return config;
}

/**
 * Truck ids must be unique across the service's fleets: a driver's token and the routes
 * (`/api/v1/trucks/<truck>/...`) name a truck, not a system, so a shared id would give one driver
 * both trucks and leave the second unreachable. Reads each fleet file (its own errors name it) and
 * refuses a shared id naming both files. Returns truck -> system.
 */
export function checkTruckIds(config: Pick<ServeConfig, 'file' | 'systems'>): Map<string, string> {
  const owner = new Map<string, { system: string; fleet: string }>();
  for (const sc of config.systems) {
    if (!sc.fleet) continue;
    let text: string;
    try {
      text = readFileSync(sc.fleet, 'utf8');
    } catch (err) {
      throw new UserError(`config ${config.file}, system '${sc.id}': cannot read its fleet ${sc.fleet} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    for (const t of parseFleet(text, sc.fleet).trucks) {
      const other = owner.get(t.id);
      if (other) {
        throw new UserError(`config ${config.file}: truck '${t.id}' is in two fleets, ${other.fleet} (system '${other.system}') and ${sc.fleet} (system '${sc.id}'): truck ids must be unique across the service (driver tokens and /api/v1/trucks/<truck> name a truck, not a system)`);
      }
      owner.set(t.id, { system: sc.id, fleet: sc.fleet });
    }
  }
  return new Map([...owner].map(([t, o]) => [t, o.system]));
}

export function parseServeConfig(text: string, file: string): ServeConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`config ${file}: not valid JSON (${(err as Error).message})`);
  }
  const fail = (field: string, msg: string): never => { throw new UserError(`config ${file}, field '${field}': ${msg}`); };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('(top)', 'expected a JSON object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!TOP_KEYS.has(k)) fail(k, `unknown key (known: ${[...TOP_KEYS].join(', ')})`);
  const base = dirname(resolve(file));
  const path = (p: string) => resolve(base, p);

  const str = (k: string, v: unknown): string => (typeof v === 'string' && v !== '' ? v : fail(k, `expected a non-empty string, got ${JSON.stringify(v)}`));
  const num = (k: string, v: unknown, min: number, max = Infinity): number =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : fail(k, `expected a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  const hhmm = (k: string, v: unknown): string => {
    const t = str(k, v);
    return /^([01]\d|2[0-3]):[0-5]\d$/.test(t) ? t : fail(k, `expected HH:MM (local time), got '${t}'`);
  };
  const get = <K extends keyof typeof CONFIG_DEFAULTS>(k: K): unknown => (o[k] === undefined ? CONFIG_DEFAULTS[k] : o[k]);

  if (!Array.isArray(o['systems']) || o['systems'].length === 0) fail('systems', 'expected a non-empty list of systems');
  const ids = new Set<string>();
  const systems = (o['systems'] as unknown[]).map((s, i): SystemConfig => {
    const at = `systems[${i}]`;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return fail(at, 'expected an object');
    const r = s as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!SYSTEM_KEYS.has(k)) fail(`${at}.${k}`, `unknown key (known: ${[...SYSTEM_KEYS].join(', ')})`);
    const id = str(`${at}.id`, r['id']);
    if (!/^[A-Za-z0-9_.-]+$/.test(id)) fail(`${at}.id`, `'${id}': letters, digits, '_', '.', '-' only`);
    if (ids.has(id)) fail(`${at}.id`, `'${id}' appears twice`);
    ids.add(id);
    const out: SystemConfig = { id };
    if (r['gbfs_url'] !== undefined) out.gbfsUrl = str(`${at}.gbfs_url`, r['gbfs_url']);
    if (r['seoul_key'] !== undefined) out.seoulKey = str(`${at}.seoul_key`, r['seoul_key']);
    if (r['seoul_url'] !== undefined) out.seoulUrl = str(`${at}.seoul_url`, r['seoul_url']);
    if ((out.gbfsUrl === undefined) === (out.seoulKey === undefined)) fail(at, 'give exactly one of gbfs_url and seoul_key');
    if (r['fleet'] !== undefined) out.fleet = path(str(`${at}.fleet`, r['fleet']));
    if (r['shift_start'] !== undefined) out.shiftStart = hhmm(`${at}.shift_start`, r['shift_start']);
    return out;
  });

  const host = str('host', get('host'));
  const refitAt = hhmm('refit_at', get('refit_at'));
  const cors = get('cors_origins');
  if (!Array.isArray(cors) || cors.some((c) => typeof c !== 'string')) fail('cors_origins', 'expected a list of origins (strings)');
  const autoApprove = get('auto_approve');
  if (typeof autoApprove !== 'boolean') fail('auto_approve', `expected true or false, got ${JSON.stringify(autoApprove)}`);
  const port = num('port', get('port'), 0, 65535);
  if (!Number.isInteger(port)) fail('port', `expected an integer, got ${port}`);

  return {
    file,
    systems,
    ...(o['db'] !== undefined ? { db: path(str('db', o['db'])) } : {}),
    host,
    port,
    archive: path(str('archive', get('archive'))),
    replanMinutes: num('replan_minutes', get('replan_minutes'), 1, 24 * 60),
    refitAt,
    fitMaxRows: num('fit_max_rows', get('fit_max_rows'), 1000),
    horizonMinutes: num('horizon_minutes', get('horizon_minutes'), 15, 24 * 60),
    serviceLevel: num('service_level', get('service_level'), 0.01, 0.99),
    planTimeLimitS: num('plan_time_limit_s', get('plan_time_limit_s'), 0.1, 600),
    planMaxIterations: num('plan_max_iterations', get('plan_max_iterations'), 0),
    autoApprove: autoApprove as boolean,
    pollFloorS: num('poll_floor_s', get('poll_floor_s'), 0),
    feedStaleMinutes: num('feed_stale_minutes', get('feed_stale_minutes'), 1),
    corsOrigins: cors as string[],
    rateLimitPerMinute: num('rate_limit_per_minute', get('rate_limit_per_minute'), 1),
    bodyLimitBytes: num('body_limit_bytes', get('body_limit_bytes'), 256, 1 << 20),
  };
}
