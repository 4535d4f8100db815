// Read API (/api/v1/systems/...): systems, stations with live status, targets and forecast, the
// current plan, the day's KPIs, a station's history. Open to read; answered from the live state,
// except history and KPIs, which the store keeps.
import type { FastifyPluginAsync } from 'fastify';
import type { ServiceContext } from '../context.ts';
import { notFound, badRequest } from '../errors.ts';
import type { SystemLive } from '../live-state.ts';
import { dayKpis, stationHistory } from '../queries.ts';
import { errorResponses, int, nNum, nStr, nTime, num, planSchema, stationIdSchema, stationSchema, str, systemParams, time } from '../schemas.ts';
import { planView, staleness, stationIds, stationView } from '../views.ts';

export function systemOr404(ctx: ServiceContext, id: string): SystemLive {
  const s = ctx.live.system(id);
  if (!s) throw notFound(`no system '${id}' (this service runs: ${[...ctx.live.systems.keys()].join(', ')})`);
  return s;
}

const systemSchema = {
  type: 'object',
  properties: {
    id: str, name: str, timezone: str, stations: int, trucks: { type: 'array', items: str },
    last_snapshot: nTime, targets_run: nStr, targets_at: nTime, plan_id: nStr, feed_stale: { type: 'boolean' }, targets_stale: { type: 'boolean' },
  },
} as const;

const hoursQuery = { type: 'object', properties: { hours: { type: 'integer', minimum: 0, maximum: 48, default: 3 } }, additionalProperties: false } as const;

export const systemRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (app) => {
  const stationsCache = new Map<string, { key: string; json: string }>();
  const summary = (s: SystemLive) => {
    const st = staleness(s, ctx.clock.now(), ctx.config.feedStaleMinutes * 60_000);
    return {
      id: s.id, name: s.name, timezone: s.timezone, stations: stationIds(s).length, trucks: [...s.trucks.keys()],
      last_snapshot: s.feed.lastSnapshotMs === null ? null : new Date(s.feed.lastSnapshotMs).toISOString(),
      targets_run: s.targets?.runId ?? null, targets_at: s.targets ? new Date(s.targets.atMs).toISOString() : null,
      plan_id: s.issued?.planId ?? null, feed_stale: st.feed_stale, targets_stale: st.targets_stale,
    };
  };

  app.get('/systems', {
    schema: { summary: 'the systems this service runs', tags: ['read'], response: { 200: { type: 'object', required: ['systems'], properties: { systems: { type: 'array', items: systemSchema } } } } },
  }, async () => ({ systems: [...ctx.live.systems.values()].map(summary) }));

  app.get<{ Params: { system: string } }>('/systems/:system', {
    schema: { summary: 'one system', tags: ['read'], params: systemParams, response: { 200: systemSchema, ...errorResponses } },
  }, async (req) => summary(systemOr404(ctx, req.params.system)));

  app.get<{ Params: { system: string }; Querystring: { hours: number } }>('/systems/:system/stations', {
    schema: {
      summary: 'every station: live status, target interval, class, and the forecast for the next hours',
      tags: ['read'], params: systemParams, querystring: hoursQuery,
      response: { 200: { type: 'object', required: ['stations'], properties: { stations: { type: 'array', items: stationSchema } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    const s = systemOr404(ctx, req.params.system);
    const now = ctx.clock.now();
    // The whole list (2,700 stations at Seoul's size) is serialised once per change of what it shows
    // (a snapshot, targets, forecast, the hour the forecast starts from), not once per request.
    const key = `${s.feed.snapshots}|${s.stations.size}|${s.targets?.runId}|${s.forecast?.runId}|${Math.floor(now / 3_600_000)}|${req.query.hours}`;
    const slot = `${s.id}|${req.query.hours}`;
    let body = stationsCache.get(slot);
    if (body?.key !== key) {
      body = { key, json: JSON.stringify({ stations: stationIds(s).map((id) => stationView(s, id, req.query.hours, now)) }) };
      stationsCache.set(slot, body);
    }
    return reply.type('application/json; charset=utf-8').send(body.json);
  });

  app.get<{ Params: { system: string; station: string }; Querystring: { hours: number } }>('/systems/:system/stations/:station', {
    schema: {
      summary: 'one station', tags: ['read'], querystring: hoursQuery,
      params: { type: 'object', required: ['system', 'station'], properties: { ...systemParams.properties, station: stationIdSchema } },
      response: { 200: stationSchema, ...errorResponses },
    },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    if (!s.stations.has(req.params.station) && !s.status.has(req.params.station)) throw notFound(`no station '${req.params.station}' in ${s.id}`);
    return stationView(s, req.params.station, req.query.hours, ctx.clock.now());
  });

  app.get<{ Params: { system: string; station: string }; Querystring: { from?: string; to?: string } }>('/systems/:system/stations/:station/history', {
    schema: {
      summary: "a station's bikes and docks over time (its status changes), for charts; default the last 24 h",
      tags: ['read'],
      params: { type: 'object', required: ['system', 'station'], properties: { ...systemParams.properties, station: stationIdSchema } },
      querystring: { type: 'object', properties: { from: time, to: time }, additionalProperties: false },
      response: {
        200: { type: 'object', required: ['station_id', 'points'], properties: { station_id: str, from: time, to: time, points: { type: 'array', items: { type: 'object', properties: { at: time, bikes: { type: 'integer', nullable: true }, docks: { type: 'integer', nullable: true } } } } } },
        ...errorResponses,
      },
    },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    const to = req.query.to ? Date.parse(req.query.to) : ctx.clock.now();
    const from = req.query.from ? Date.parse(req.query.from) : to - 86_400_000;
    if (!(from < to)) throw badRequest('querystring/from must be before to');
    if (to - from > 31 * 86_400_000) throw badRequest('at most 31 days of history per request');
    const points = await stationHistory(ctx.store, s.id, req.params.station, from, to);
    return { station_id: req.params.station, from: new Date(from).toISOString(), to: new Date(to).toISOString(), points };
  });

  app.get<{ Params: { system: string } }>('/systems/:system/plan', {
    schema: { summary: 'the plan the drivers follow (issued), per truck', tags: ['read'], params: systemParams, response: { 200: planSchema, ...errorResponses } },
  }, async (req) => planView(systemOr404(ctx, req.params.system).issued));

  app.get<{ Params: { system: string } }>('/systems/:system/plan/proposed', {
    schema: { summary: 'the plan waiting for an operator\'s approval (when plans are not auto-approved)', tags: ['read'], params: systemParams, response: { 200: planSchema, ...errorResponses } },
  }, async (req) => planView(systemOr404(ctx, req.params.system).proposed));

  app.get<{ Params: { system: string } }>('/systems/:system/kpis', {
    schema: {
      summary: 'KPIs of the local day so far: empty and full station-minutes (observed time only), failures expected over the horizon, bikes moved',
      tags: ['read'], params: systemParams,
      response: {
        200: {
          type: 'object',
          properties: {
            day_start: time, now: time, observed_minutes: { ...num, description: 'minutes of the day so far the feed covered (local midnight to the last good snapshot, less its outages): the station-minutes count these only' }, empty_station_minutes: num, full_station_minutes: num, stations_empty_now: int, stations_full_now: int,
            expected_failures_without_plan: nNum, expected_failures_with_plan: nNum, bikes_moved: int, bikes_collected: int, bikes_dropped: int, stops_done: int, stops_skipped: int,
          },
        },
        ...errorResponses,
      },
    },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    const now = ctx.clock.now();
    const k = await dayKpis(ctx.store, s.id, s.timezone, now);
    let empty = 0;
    let full = 0;
    for (const st of s.status.values()) {
      if (st.bikes === 0) empty++;
      if (st.docks === 0) full++;
    }
    const planned = s.issued?.plan;
    return {
      ...k, now: new Date(now).toISOString(), stations_empty_now: empty, stations_full_now: full,
      expected_failures_without_plan: planned?.expected_failures_before ?? (s.targets ? [...s.targets.stations.values()].reduce((a, t) => a + (t.expectedFailures ?? 0), 0) : null),
      expected_failures_with_plan: planned?.expected_failures_after ?? null,
      bikes_moved: k.bikes_dropped,
    };
  });
};
