// The HTTP side of `urbanlab serve`: Fastify with one plugin per API area under its prefix, every
// route's request and response described by JSON Schema, the OpenAPI 3 document at /openapi.json
// and interactive docs at /docs (Swagger UI's own files, served from the package: no CDN).
// Bodies are size-limited, requests rate-limited, CORS closed unless origins are configured.
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { requireTokenForWrites } from './auth.ts';
import type { ServiceContext } from './context.ts';
import { errorSchema, installErrorHandler } from './errors.ts';
import { eventRoutes } from './routes/events.ts';
import { gbfsRoutes } from './routes/gbfs.ts';
import { healthRoutes } from './routes/health.ts';
import { operatorRoutes } from './routes/operators.ts';
import { systemRoutes } from './routes/systems.ts';
import { truckRoutes } from './routes/trucks.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { webRoutes } from './routes/web.ts';

export const API_PREFIX = '/api/v1';

export interface AppOptions {
  /** Fastify's logger (pino options), or false. */
  logger?: boolean | object;
  startedAtMs: number;
}

export async function buildApp(ctx: ServiceContext, opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: ctx.config.bodyLimitBytes,
    // Ajv: an unknown field is refused (400), not silently dropped. Query strings are coerced to
    // their declared types (Fastify's default).
    ajv: { customOptions: { removeAdditional: false } },
    return503OnClosing: true,
  });
  installErrorHandler(app);
  requireTokenForWrites(ctx, app);
  app.addSchema(errorSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'urbanlab serve', version: '1', description: 'The live operations service: collected status, targets, plans, drivers in the loop. Reads are open; writes need `Authorization: Bearer <token>` (`urbanlab serve token create`).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(rateLimit, { max: ctx.config.rateLimitPerMinute, timeWindow: '1 minute' });
  if (ctx.config.corsOrigins.length > 0) await app.register(cors, { origin: ctx.config.corsOrigins });

  await app.register(healthRoutes(ctx, opts.startedAtMs));
  await app.register(async (api) => {
    await api.register(systemRoutes(ctx));
    await api.register(truckRoutes(ctx));
    await api.register(operatorRoutes(ctx));
    await api.register(eventRoutes(ctx));
    await api.register(dashboardRoutes(ctx));
  }, { prefix: API_PREFIX });
  await app.register(gbfsRoutes(ctx), { prefix: '/gbfs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(webRoutes());
  await app.ready();
  return app;
}
