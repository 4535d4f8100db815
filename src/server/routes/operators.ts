// Operators (/api/v1/...): pin or forbid a station, approve a proposed plan, ask for a re-plan;
// admins: create tokens. Every route here needs an operator's (or an admin's) token.
import type { FastifyPluginAsync } from 'fastify';
import { authorize, bearerSecurity } from '../auth.ts';
import type { ServiceContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { recordPlanApproval, recordStationRule } from '../records.ts';
import { errorResponses, nStr, okSchema, stationIdSchema, str, systemParams } from '../schemas.ts';
import { createToken, hashToken, ROLES, type Role } from '../tokens.ts';
import { systemOr404 } from './systems.ts';

export const operatorRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (app) => {
  app.put<{ Params: { system: string; station: string }; Body: { rule: 'pin' | 'forbid' | 'none' } }>('/systems/:system/stations/:station/control', {
    schema: {
      summary: "pin a station (the planner favours it), forbid it (never visited) or clear the rule ('none')",
      tags: ['operators'], security: bearerSecurity,
      params: { type: 'object', required: ['system', 'station'], properties: { ...systemParams.properties, station: stationIdSchema } },
      body: { type: 'object', required: ['rule'], additionalProperties: false, properties: { rule: { type: 'string', enum: ['pin', 'forbid', 'none'] } } },
      response: { 200: okSchema, ...errorResponses },
    },
  }, async (req) => {
    const who = authorize(ctx, req, 'operator');
    const s = systemOr404(ctx, req.params.system);
    const { station } = req.params;
    if (!s.stations.has(station) && !s.status.has(station)) throw notFound(`no station '${station}' in ${s.id}`);
    const now = ctx.clock.now();
    await recordStationRule(ctx.store, s.id, station, req.body.rule, now, who.role);
    if (req.body.rule === 'none') s.stationRules.delete(station);
    else s.stationRules.set(station, req.body.rule);
    ctx.live.emit({ type: 'station', system: s.id, data: { station_id: station, rule: req.body.rule } }, now);
    ctx.requestReplan(s.id);
    return { ok: true };
  });

  app.post<{ Params: { system: string; plan_id: string } }>('/systems/:system/plans/:plan_id/approve', {
    schema: {
      summary: 'approve the proposed plan: it goes out to the drivers', tags: ['operators'], security: bearerSecurity,
      params: { type: 'object', required: ['system', 'plan_id'], properties: { ...systemParams.properties, plan_id: { type: 'string', minLength: 1, maxLength: 128 } } },
      response: { 200: okSchema, ...errorResponses },
    },
  }, async (req) => {
    const who = authorize(ctx, req, 'operator');
    const s = systemOr404(ctx, req.params.system);
    const p = s.proposed;
    if (!p || p.planId !== req.params.plan_id) {
      if (s.issued?.planId === req.params.plan_id) throw conflict(`plan ${req.params.plan_id} is issued already`);
      throw notFound(`no proposed plan ${req.params.plan_id} in ${s.id} (proposed now: ${p?.planId ?? 'none'})`);
    }
    const now = ctx.clock.now();
    await recordPlanApproval(ctx.store, s.id, p.planId, now, who.role);
    if (s.issued) s.issued.state = 'superseded';
    s.issued = { ...p, state: 'issued', issuedAtMs: now };
    s.proposed = null;
    for (const t of s.trucks.values()) t.reported.clear();
    ctx.live.emit({ type: 'plan', system: s.id, data: { plan_id: p.planId, state: 'issued' } }, now);
    return { ok: true };
  });

  app.post<{ Params: { system: string } }>('/systems/:system/replan', {
    schema: { summary: 'ask for a re-plan now (it runs in the background)', tags: ['operators'], security: bearerSecurity, params: systemParams, response: { 202: okSchema, ...errorResponses } },
  }, async (req, reply) => {
    authorize(ctx, req, 'operator');
    const s = systemOr404(ctx, req.params.system);
    ctx.requestReplan(s.id);
    return reply.code(202).send({ ok: true });
  });

  app.post<{ Body: { role: Role; truck?: string } }>('/tokens', {
    schema: {
      summary: 'create a token (admins); the token is shown once, the store keeps its hash', tags: ['admin'], security: bearerSecurity,
      body: { type: 'object', required: ['role'], additionalProperties: false, properties: { role: { type: 'string', enum: [...ROLES] }, truck: { type: 'string', minLength: 1, maxLength: 64 } } },
      response: { 201: { type: 'object', required: ['token', 'role'], properties: { token: str, role: str, truck: nStr, system: { ...nStr, description: "a driver token's system (its truck's): the token acts there only" } } }, ...errorResponses },
    },
  }, async (req, reply) => {
    authorize(ctx, req, 'admin');
    const { role, truck } = req.body;
    if (role === 'driver' && truck === undefined) throw badRequest('body/truck: a driver token names its truck');
    if (role !== 'driver' && truck !== undefined) throw badRequest('body/truck: only a driver token names a truck');
    const system = truck === undefined ? null : ctx.live.systemOfTruck(truck)?.id ?? null;
    if (truck !== undefined && system === null) throw badRequest(`body/truck: no truck '${truck}' in this service's fleets`);
    const token = await createToken(ctx.store, role, truck ?? null, ctx.clock.now(), system);
    ctx.tokens.set(hashToken(token), { role, truck: truck ?? null, system });
    return reply.code(201).send({ token, role, truck: truck ?? null, system });
  });
};
