// Who is calling: the bearer token, looked up by its hash. Every write needs a token (checked for
// every route before its body is read: `requireTokenForWrites`); routes then call `authorize` with
// the least role they need. A driver may act only for the truck its token names, in that truck's
// system.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceContext } from './context.ts';
import { forbidden, unauthorized } from './errors.ts';
import { atLeast, hashToken, type Principal, type Role } from './tokens.ts';

export function principalOf(ctx: ServiceContext, req: FastifyRequest): Principal | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) return null;
  return ctx.tokens.get(hashToken(m[1]!)) ?? null;
}

/**
 * The caller, when it holds at least `need` (and, with `truck`, acts for that truck, of that system
 * when given);
 * else 401/403.
 */
export function authorize(ctx: ServiceContext, req: FastifyRequest, need: Role, truck?: { id: string; system?: string }): Principal {
  const p = principalOf(ctx, req);
  if (!p) throw req.headers.authorization ? unauthorized('unknown or revoked token') : unauthorized();
  if (!atLeast(p, need)) throw forbidden(`this needs a ${need} token (yours is ${p.role})`);
  if (truck !== undefined && p.role === 'driver') {
    if (p.truck !== truck.id) throw forbidden(`a driver acts for its own truck only (yours is ${p.truck ?? 'none'})`);
    if (truck.system !== undefined && p.system !== null && p.system !== truck.system) throw forbidden(`your token is for truck ${p.truck} of ${p.system}, not of ${truck.system}`);
  }
  return p;
}

/**
 * A write (any method but GET, HEAD, OPTIONS) without a known token is refused with 401 before its
 * body is parsed or validated: a caller without a token learns nothing of the route's schema.
 */
export function requireTokenForWrites(ctx: ServiceContext, app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    if (!principalOf(ctx, req)) throw req.headers.authorization ? unauthorized('unknown or revoked token') : unauthorized();
  });
}

export const bearerSecurity = [{ bearer: [] }];
