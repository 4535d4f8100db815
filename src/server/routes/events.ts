// Live (/api/v1/events): a server-sent events stream of status, target, plan, report, truck and
// station changes, optionally for one system. A comment line every 15 s keeps proxies from
// closing an idle stream.
import type { FastifyPluginAsync } from 'fastify';
import type { ServiceContext } from '../context.ts';

export const eventRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (app) => {
  app.get<{ Querystring: { system?: string } }>('/events', {
    schema: {
      summary: 'server-sent events: status, targets, plan, report, truck, station (each `event: <type>`, `data: {system, at, data}`)',
      tags: ['live'],
      querystring: { type: 'object', properties: { system: { type: 'string', maxLength: 64 } }, additionalProperties: false },
      produces: ['text/event-stream'],
    },
  }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': urbanlab events\n\n');
    const only = req.query.system;
    const off = ctx.live.subscribe((e) => {
      if (only !== undefined && e.system !== only) return;
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    ping.unref();
    const close = () => { clearInterval(ping); off(); };
    req.raw.on('close', close);
    res.on('error', close);
  });
};
