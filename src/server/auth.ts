// Who is calling: the bearer token, looked up by its hash. Routes that write call `authorize`
// with the least role they need; a driver may act only for the truck its token names.
import type { FastifyRequest } from 'fastify';
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

/** The caller, when it holds at least `need` (and, with `truck`, acts for that truck); else 401/403. */
export function authorize(ctx: ServiceContext, req: FastifyRequest, need: Role, truck?: string): Principal {
  const p = principalOf(ctx, req);
  if (!p) throw req.headers.authorization ? unauthorized('unknown or revoked token') : unauthorized();
  if (!atLeast(p, need)) throw forbidden(`this needs a ${need} token (yours is ${p.role})`);
  if (truck !== undefined && p.role === 'driver' && p.truck !== truck) throw forbidden(`a driver acts for its own truck only (yours is ${p.truck ?? 'none'})`);
  return p;
}

export const bearerSecurity = [{ bearer: [] }];
