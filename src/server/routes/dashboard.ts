// Reads the dashboard and the driver's view need beyond the core routes (issue 23), public API like
// the rest: the trucks as the service knows them now, the base map's boundaries, a station's
// forecast band and failure curve, the day's driver reports, and last week's KPIs to compare with.
// The pages use nothing else than the documented API.
import type { FastifyPluginAsync } from 'fastify';
import { localDate, startOfLocalDay } from '../../platform/time/index.ts';
import { authorize, bearerSecurity, principalOf } from '../auth.ts';
import type { ServiceContext } from '../context.ts';
import { boundaryFeatures, forecastBand, longSpells, stationTarget, systemReports } from '../dashboard-queries.ts';
import { notFound } from '../errors.ts';
import { dayKpis } from '../queries.ts';
import { unauthorized } from '../errors.ts';
import { errorResponses, int, nNum, nStr, num, reportSchema, stationIdSchema, stopSchema, str, systemParams, time } from '../schemas.ts';
import { nextStops } from '../views.ts';
import { systemOr404 } from './systems.ts';

const stationParams = { type: 'object', required: ['system', 'station'], properties: { ...systemParams.properties, station: stationIdSchema } } as const;
const band = { type: 'object', nullable: true, properties: { mean: num, lo_80: num, hi_80: num } } as const;
const numbers = { type: 'array', items: num } as const;
type LiveSystemOf = ReturnType<typeof systemOr404>;

export const dashboardRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (app) => {
  const stationOr404 = (system: string, station: string) => {
    const s = systemOr404(ctx, system);
    if (!s.stations.has(station) && !s.status.has(station)) throw notFound(`no station '${station}' in ${s.id}`);
    return s;
  };

  app.get<{ Params: { system: string } }>('/systems/:system/trucks', {
    schema: {
      summary: 'the trucks now: paused or not, last known position, bikes aboard, stops reported and the next stop of the issued plan',
      tags: ['read'], params: systemParams,
      response: {
        200: {
          type: 'object', required: ['trucks'],
          properties: {
            trucks: {
              type: 'array',
              items: {
                type: 'object', required: ['truck', 'paused', 'load', 'position', 'reported', 'next_stop'],
                properties: {
                  truck: str, paused: { type: 'boolean' }, load: int, reported: int, remaining: int,
                  position: { type: 'object', nullable: true, properties: { lat: num, lon: num, at: time } },
                  next_stop: { ...stopSchema, nullable: true },
                },
              },
            },
          },
        },
        ...errorResponses,
      },
    },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    return {
      trucks: [...s.trucks.values()].map((t) => {
        const next = nextStops(s, t.id);
        return {
          truck: t.id, paused: t.paused, load: t.load, reported: t.reported.size, remaining: next.length,
          position: t.position ? { lat: t.position.lat, lon: t.position.lon, at: new Date(t.position.atMs).toISOString() } : null,
          next_stop: next[0] ?? null,
        };
      }),
    };
  });

  // Boundaries change only with an import, which the service does not run: serialised once per level.
  const boundaryCache = new Map<string, string>();
  app.get<{ Params: { system: string }; Querystring: { level: 'district' | 'dong' } }>('/systems/:system/boundaries', {
    schema: {
      summary: "the system's district or dong boundaries as a GeoJSON FeatureCollection (the dashboard's base map; empty where none were imported)",
      tags: ['read'], params: systemParams,
      querystring: { type: 'object', properties: { level: { type: 'string', enum: ['district', 'dong'], default: 'district' } }, additionalProperties: false },
      response: {
        200: {
          type: 'object', required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  type: str,
                  properties: { type: 'object', properties: { code: str, name: nStr, level: str, parent_code: nStr } },
                  geometry: { type: 'object', additionalProperties: true },
                },
              },
            },
          },
        },
        ...errorResponses,
      },
    },
  }, async (req, reply) => {
    const s = systemOr404(ctx, req.params.system);
    const key = `${s.id}|${req.query.level}`;
    let json = boundaryCache.get(key);
    if (json === undefined) {
      json = JSON.stringify({ type: 'FeatureCollection', features: await boundaryFeatures(ctx.store, s.id, req.query.level) });
      boundaryCache.set(key, json);
    }
    return reply.type('application/json; charset=utf-8').send(json);
  });

  /** A read of one station of a system: the station's params, 404 for an unknown station, the error responses. */
  const stationGet = <Q>(path: string, summary: string, response: Record<string, unknown>, handler: (s: LiveSystemOf, station: string, query: Q) => Promise<unknown>, querystring?: Record<string, unknown>) =>
    app.get<{ Params: { system: string; station: string }; Querystring: Q }>(`/systems/:system/stations/:station/${path}`, {
      schema: {
        summary, tags: ['read'], params: stationParams, ...(querystring ? { querystring } : {}),
        response: { 200: { type: 'object', ...response, properties: { station_id: str, run_id: nStr, ...(response['properties'] as object) } }, ...errorResponses },
      },
    }, async (req) => handler(stationOr404(req.params.system, req.params.station), req.params.station, req.query as Q));

  stationGet<{ hours: number }>('forecast', "a station's forecast pickups and returns per hour from the current hour, with the 80% band (the current forecast run)", {
    required: ['station_id', 'run_id', 'hours'],
    properties: { hours: { type: 'array', items: { type: 'object', properties: { at: time, pickups: band, returns: band } } } },
  }, async (s, station, query) => {
    if (!s.forecast) return { station_id: station, run_id: null, hours: [] };
    const hourMs = Math.floor(ctx.clock.now() / 3_600_000) * 3_600_000;
    return { station_id: station, run_id: s.forecast.runId, hours: await forecastBand(ctx.store, s.forecast.runId, station, hourMs, query.hours) };
  }, { type: 'object', properties: { hours: { type: 'integer', minimum: 1, maximum: 48, default: 12 } }, additionalProperties: false });

  stationGet('targets', "a station's target interval of the latest target run and its failure curve: expected failed rentals and returns over the horizon by the bikes at its start", {
    required: ['station_id', 'run_id', 'at'],
    properties: {
      at: { ...time, nullable: true }, horizon_minutes: { ...int, nullable: true }, capacity: int, current: { ...int, nullable: true },
      min: int, max: int, class: nStr, expected_failures: nNum, failed_rentals: numbers, failed_returns: numbers,
    },
  }, async (s, station) => {
    const t = s.targets ? await stationTarget(ctx.store, s.targets.runId, station) : null;
    if (!t || !s.targets) return { station_id: station, run_id: s.targets?.runId ?? null, at: null, horizon_minutes: null };
    return { station_id: station, at: new Date(s.targets.atMs).toISOString(), horizon_minutes: s.targets.horizonMinutes, ...t };
  });

  app.get<{ Params: { system: string } }>('/systems/:system/reports', {
    schema: {
      summary: "every truck's driver reports of the system's local day so far (operators)", tags: ['operators'], params: systemParams, security: bearerSecurity,
      response: { 200: { type: 'object', required: ['reports'], properties: { day_start: time, reports: { type: 'array', items: reportSchema } } }, ...errorResponses },
    },
  }, async (req) => {
    authorize(ctx, req, 'operator');
    const s = systemOr404(ctx, req.params.system);
    const now = ctx.clock.now();
    const dayStart = startOfLocalDay(s.timezone, localDate(s.timezone, now));
    return { day_start: new Date(dayStart).toISOString(), reports: await systemReports(ctx.store, s.id, dayStart, now) };
  });

  app.get<{ Params: { system: string } }>('/systems/:system/kpis/last-week', {
    schema: {
      summary: 'the same KPIs of the store for the same weekday a week ago, up to the same local time (to compare the day so far with)',
      tags: ['read'], params: systemParams,
      response: { 200: { type: 'object', properties: { day_start: time, now: time, empty_station_minutes: num, full_station_minutes: num, bikes_collected: int, bikes_dropped: int, stops_done: int, stops_skipped: int } }, ...errorResponses },
    },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    const then = ctx.clock.now() - 7 * 86_400_000;
    return { ...(await dayKpis(ctx.store, s.id, s.timezone, then)), now: new Date(then).toISOString() };
  });
  app.get<{ Params: { system: string } }>('/systems/:system/station-rules', {
    schema: {
      summary: "the operators' station rules in force: pinned (favoured by the planner) and forbidden (never visited) stations",
      tags: ['read'], params: systemParams,
      response: { 200: { type: 'object', required: ['rules'], properties: { rules: { type: 'array', items: { type: 'object', properties: { station_id: str, rule: { type: 'string', enum: ['pin', 'forbid'] } } } } } }, ...errorResponses },
    },
  }, async (req) => ({ rules: [...systemOr404(ctx, req.params.system).stationRules].map(([station_id, rule]) => ({ station_id, rule })) }));

  app.get('/whoami', {
    schema: {
      summary: "who the bearer token is: its role, and a driver's truck and system (the driver's view logs in with it)", tags: ['drivers'], security: bearerSecurity,
      response: { 200: { type: 'object', required: ['role', 'truck', 'system'], properties: { role: str, truck: nStr, system: nStr } }, ...errorResponses },
    },
  }, async (req) => {
    const p = principalOf(ctx, req);
    if (!p) throw unauthorized(req.headers.authorization ? 'unknown or revoked token' : undefined);
    return { role: p.role, truck: p.truck, system: p.truck ? (ctx.live.systemOfTruck(p.truck)?.id ?? null) : null };
  });
  app.get<{ Params: { system: string }; Querystring: { minutes: number } }>('/systems/:system/alerts', {
    schema: {
      summary: 'stations empty or full now for at least `minutes` (default 10), longest first, from the status log of the last 24 h',
      tags: ['read'], params: systemParams,
      querystring: { type: 'object', properties: { minutes: { type: 'integer', minimum: 0, maximum: 1440, default: 10 } }, additionalProperties: false },
      response: {
        200: {
          type: 'object', required: ['alerts'],
          properties: { alerts: { type: 'array', items: { type: 'object', properties: { station_id: str, name: nStr, state: { type: 'string', enum: ['empty', 'full'] }, since: time, minutes: int, since_window_start: { type: 'boolean', description: 'the spell began before the 24 h looked at' } } } } },
        },
        ...errorResponses,
      },
    },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    const alerts = await longSpells(ctx.store, s.id, ctx.clock.now(), req.query.minutes);
    return { alerts: alerts.map((a) => ({ ...a, name: s.stations.get(a.station_id)?.name ?? null })) };
  });
};
