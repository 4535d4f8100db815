// /health: one place that says what is stale, per system (a feed down, targets past their horizon,
// a re-plan that failed). Always 200 while the service runs (a feed down is not a reason to restart
// it): `status` says 'ok' or 'stale'.
import type { FastifyPluginAsync } from 'fastify';
import type { ServiceContext } from '../context.ts';
import { int, nStr, nTime, str, time } from '../schemas.ts';
import { staleness } from '../views.ts';

const healthSchema = {
  type: 'object',
  required: ['status', 'now', 'systems'],
  properties: {
    status: { type: 'string', enum: ['ok', 'stale'] },
    now: time,
    started_at: time,
    systems: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          system: str, feed_stale: { type: 'boolean' }, targets_stale: { type: 'boolean' }, reasons: { type: 'array', items: str },
          last_snapshot: nTime, last_poll: nTime, last_error: nStr, snapshots: int, poll_failures: int,
          targets_at: nTime, plan_id: nStr, last_cycle: nStr, last_cycle_at: nTime,
        },
      },
    },
  },
} as const;

export const healthRoutes = (ctx: ServiceContext, startedAtMs: number): FastifyPluginAsync => async (app) => {
  app.get('/health', {
    schema: { summary: 'what is stale: feeds, targets, the last re-plan', tags: ['status'], response: { 200: healthSchema } },
  }, async () => {
    const now = ctx.clock.now();
    const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
    const systems = [...ctx.live.systems.values()].map((s) => {
      const st = staleness(s, now, ctx.config.feedStaleMinutes * 60_000);
      return {
        system: s.id, ...st, last_snapshot: iso(s.feed.lastSnapshotMs), last_poll: iso(s.feed.lastPollMs), last_error: s.feed.lastError?.message ?? null,
        snapshots: s.feed.snapshots, poll_failures: s.feed.failures, targets_at: iso(s.targets?.atMs), plan_id: s.issued?.planId ?? null,
        last_cycle: s.lastCycle?.outcome ?? null, last_cycle_at: iso(s.lastCycle?.atMs),
      };
    });
    const stale = systems.some((s) => s.feed_stale || s.targets_stale);
    return ({ status: stale ? 'stale' : 'ok', now: new Date(now).toISOString(), started_at: new Date(startedAtMs).toISOString(), systems });
  });
};
