// Drivers (/api/v1/trucks/<truck>/...): my next stops, a stop done or skipped, my position, my
// reports; and the operators' pause / resume of a truck. Every write needs a token; a driver's acts
// for its own truck only. A report is answered only once it is committed to the store.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { authorize, bearerSecurity } from '../auth.ts';
import type { ServiceContext } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import type { SystemLive } from '../live-state.ts';
import { truckReports } from '../queries.ts';
import type { Principal, Role } from '../tokens.ts';
import { recordPosition, recordReport, recordTruckPaused } from '../records.ts';
import { errorResponses, nStr, okSchema, reportSchema, stationIdSchema, stopSchema, str, truckParams } from '../schemas.ts';
import { nextStops } from '../views.ts';

export const SKIP_REASONS = ['blocked', 'station_broken', 'not_as_expected', 'other'] as const;

const reportBody = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['done', 'skipped'] },
    collected: { type: 'integer', minimum: 0, maximum: 200, description: 'bikes really collected (done)' },
    dropped: { type: 'integer', minimum: 0, maximum: 200, description: 'bikes really dropped (done)' },
    reason: { type: 'string', enum: [...SKIP_REASONS], description: 'why the stop was skipped: blocked, station_broken, not_as_expected (no bikes or docks as the plan expected), other' },
  },
} as const;

interface ReportBody { status: 'done' | 'skipped'; collected?: number; dropped?: number; reason?: string }

export const truckRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (app) => {
  const truckOr404 = (truck: string): SystemLive => {
    const s = ctx.live.systemOfTruck(truck);
    if (!s) throw notFound(`no truck '${truck}' in this service's fleets`);
    return s;
  };
  /** The caller (at least `need`; a driver for this truck of its system only) and the truck's system. */
  const forTruck = (req: FastifyRequest, truck: string, need: Role): { who: Principal; s: SystemLive } => {
    authorize(ctx, req, need, { id: truck }); // 401/403 before saying whether the truck exists
    const s = truckOr404(truck);
    return { who: authorize(ctx, req, need, { id: truck, system: s.id }), s };
  };

  app.get<{ Params: { truck: string } }>('/trucks/:truck/stops', {
    schema: {
      summary: "a truck's next stops on the issued plan (those it has not reported), in order",
      tags: ['drivers'], params: truckParams, security: bearerSecurity,
      response: { 200: { type: 'object', required: ['truck', 'stops'], properties: { truck: str, plan_id: nStr, paused: { type: 'boolean' }, stops: { type: 'array', items: stopSchema } } }, ...errorResponses },
    },
  }, async (req) => {
    const { s } = forTruck(req, req.params.truck, 'driver');
    return { truck: req.params.truck, plan_id: s.issued?.planId ?? null, paused: s.trucks.get(req.params.truck)!.paused, stops: nextStops(s, req.params.truck) };
  });

  app.post<{ Params: { truck: string; station_id: string }; Body: ReportBody; Headers: { 'idempotency-key'?: string } }>('/trucks/:truck/stops/:station_id', {
    schema: {
      summary: 'report a stop: done (the real counts collected or dropped) or skipped (with a reason)',
      description: 'Answered 201 once the report is committed to the store. With an Idempotency-Key header, a retried report is stored once (the retry gets 200 and the first report).',
      tags: ['drivers'], security: bearerSecurity,
      params: { type: 'object', required: ['truck', 'station_id'], properties: { ...truckParams.properties, station_id: stationIdSchema } },
      headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 128 } } },
      body: reportBody,
      response: { 200: reportSchema, 201: reportSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const { who, s } = forTruck(req, req.params.truck, 'driver');
    const { truck, station_id: station } = req.params;
    const b = req.body;
    if (!s.stations.has(station) && !s.status.has(station)) throw notFound(`no station '${station}' in ${s.id}`);
    if (b.status === 'done') {
      if (b.collected === undefined && b.dropped === undefined) throw badRequest("body: a stop 'done' needs collected or dropped (the real counts)");
      if (b.reason !== undefined) throw badRequest("body/reason is for a stop 'skipped'");
    } else {
      if (b.reason === undefined) throw badRequest(`body: a stop 'skipped' needs a reason (${SKIP_REASONS.join(', ')})`);
      if (b.collected !== undefined || b.dropped !== undefined) throw badRequest("body: a stop 'skipped' moved no bikes (no collected or dropped)");
    }
    const t = s.trucks.get(truck)!;
    const collected = b.collected ?? (b.status === 'done' ? 0 : null);
    const dropped = b.dropped ?? (b.status === 'done' ? 0 : null);
    if (b.status === 'done' && t.load + (collected ?? 0) - (dropped ?? 0) < 0) throw badRequest(`body/dropped: the truck carries ${t.load + (collected ?? 0)} bikes, it cannot drop ${dropped}`);
    const onPlan = s.issued?.plan.routes.find((r) => r.truck === truck)?.stops.some((x) => x.station_id === station) ? s.issued.planId : null;
    const now = ctx.clock.now();
    const { report, created } = await recordReport(ctx.store, {
      system: s.id, truck, planId: onPlan, stationId: station, status: b.status, collected, dropped, reason: b.reason ?? null,
      clientKey: req.headers['idempotency-key'] ?? null,
    }, now, who.role);
    if (created) {
      if (onPlan) t.reported.add(station);
      t.load += (collected ?? 0) - (dropped ?? 0);
      const info = s.stations.get(station);
      if (info?.lat !== null && info?.lat !== undefined && info.lon !== null) t.position = { lat: info.lat, lon: info.lon, atMs: now };
      ctx.live.emit({ type: 'report', system: s.id, data: report }, now);
      // A skipped stop changes what the rest of the plan should do: re-plan now, not at the next tick.
      if (b.status === 'skipped') ctx.requestReplan(s.id);
    }
    return reply.code(created ? 201 : 200).send(report);
  });

  app.get<{ Params: { truck: string } }>('/trucks/:truck/reports', {
    schema: {
      summary: "a truck's reports, oldest first", tags: ['drivers'], params: truckParams, security: bearerSecurity,
      response: { 200: { type: 'object', required: ['reports'], properties: { reports: { type: 'array', items: reportSchema } } }, ...errorResponses },
    },
  }, async (req) => {
    const { s } = forTruck(req, req.params.truck, 'driver');
    return { reports: await truckReports(ctx.store, s.id, req.params.truck) };
  });

  app.post<{ Params: { truck: string }; Body: { lat: number; lon: number } }>('/trucks/:truck/position', {
    schema: {
      summary: "the truck's position (the next re-plan starts from it)", tags: ['drivers'], params: truckParams, security: bearerSecurity,
      body: { type: 'object', required: ['lat', 'lon'], additionalProperties: false, properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } } },
      response: { 200: okSchema, ...errorResponses },
    },
  }, async (req) => {
    const { s } = forTruck(req, req.params.truck, 'driver');
    const now = ctx.clock.now();
    await recordPosition(ctx.store, s.id, req.params.truck, req.body.lat, req.body.lon, now);
    s.trucks.get(req.params.truck)!.position = { lat: req.body.lat, lon: req.body.lon, atMs: now };
    ctx.live.emit({ type: 'truck', system: s.id, data: { truck: req.params.truck, lat: req.body.lat, lon: req.body.lon } }, now);
    return { ok: true };
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { truck: string } }>(`/trucks/:truck/${action}`, {
      schema: { summary: `${action} a truck (operators; a paused truck gets no stops at the next re-plan)`, tags: ['operators'], params: truckParams, security: bearerSecurity, response: { 200: okSchema, ...errorResponses } },
    }, async (req) => {
      const { who, s } = forTruck(req, req.params.truck, 'operator');
      const now = ctx.clock.now();
      await recordTruckPaused(ctx.store, s.id, req.params.truck, action === 'pause', now, who.role);
      s.trucks.get(req.params.truck)!.paused = action === 'pause';
      ctx.live.emit({ type: 'truck', system: s.id, data: { truck: req.params.truck, paused: action === 'pause' } }, now);
      ctx.requestReplan(s.id);
      return { ok: true };
    });
  }
};
