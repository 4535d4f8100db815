// Access tokens: random, shown once, stored as SHA-256 only. A role says what a token may do
// (admin > operator > driver); a driver's token acts for its own truck only.
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../platform/store/connection.ts';

export type Role = 'admin' | 'operator' | 'driver';
export const ROLES: readonly Role[] = ['admin', 'operator', 'driver'];

export interface Principal {
  role: Role;
  truck: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token (stored hashed; the caller prints it once). */
export async function createToken(store: Store, role: Role, truck: string | null, nowMs: number): Promise<string> {
  const token = `ul_${role[0]}_${randomBytes(24).toString('base64url')}`;
  await store.run('INSERT INTO service_tokens (token_hash, role, truck, created_at) VALUES ($1, $2, $3, to_timestamp($4))', [hashToken(token), role, truck, nowMs / 1000]);
  return token;
}

export async function findToken(store: Store, token: string): Promise<Principal | null> {
  const rows = await store.all<{ role: Role; truck: string | null }>('SELECT role, truck FROM service_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [hashToken(token)]);
  return rows[0] ?? null;
}

/** Does `p` hold at least `need`? (admin may do what an operator may; an operator what a driver may.) */
export function atLeast(p: Principal, need: Role): boolean {
  return ROLES.indexOf(p.role) <= ROLES.indexOf(need);
}
