// Access tokens: random, shown once, stored as SHA-256 only. A role says what a token may do
// (admin > operator > driver); a driver's token acts for its own truck only, in its truck's system.
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../platform/store/connection.ts';

export type Role = 'admin' | 'operator' | 'driver';
export const ROLES: readonly Role[] = ['admin', 'operator', 'driver'];

export interface Principal {
  role: Role;
  truck: string | null;
  /**
   * A driver token's system: given when it was made (the API knows the truck's system), else bound
   * by the service at its first start with the token (`bindDriverTokens`). Null for other roles.
   */
  system: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token (stored hashed; the caller prints it once). */
export async function createToken(store: Store, role: Role, truck: string | null, nowMs: number, system: string | null = null): Promise<string> {
  const token = `ul_${role[0]}_${randomBytes(24).toString('base64url')}`;
  await store.run('INSERT INTO service_tokens (token_hash, role, truck, created_at, system_id) VALUES ($1, $2, $3, to_timestamp($4), $5)',
    [hashToken(token), role, truck, nowMs / 1000, system]);
  return token;
}

/** Every token not revoked, by hash. */
export async function loadTokens(store: Store): Promise<Map<string, Principal>> {
  const rows = await store.all<{ token_hash: string; role: Role; truck: string | null; system_id: string | null }>(
    'SELECT token_hash, role, truck, system_id FROM service_tokens WHERE revoked_at IS NULL');
  return new Map(rows.map((r) => [r.token_hash, { role: r.role, truck: r.truck, system: r.system_id }]));
}

/**
 * Driver tokens made without a system (`serve token create --truck` offline) are bound, once and
 * for good, to the system whose fleet has their truck now: a fleet file that later gives the same
 * truck id to another system does not hand that system's truck to this driver.
 */
export async function bindDriverTokens(store: Store, tokens: Map<string, Principal>, systemOfTruck: (truck: string) => string | undefined): Promise<number> {
  let bound = 0;
  for (const [hash, p] of tokens) {
    if (p.role !== 'driver' || p.system !== null || p.truck === null) continue;
    const system = systemOfTruck(p.truck);
    if (system === undefined) continue;
    await store.run('UPDATE service_tokens SET system_id = $2 WHERE token_hash = $1', [hash, system]);
    p.system = system;
    bound++;
  }
  return bound;
}

/** Does `p` hold at least `need`? (admin may do what an operator may; an operator what a driver may.) */
export function atLeast(p: Principal, need: Role): boolean {
  return ROLES.indexOf(p.role) <= ROLES.indexOf(need);
}
