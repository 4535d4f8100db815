// What the API's plugins are given: the store (serialised), the live state, the clock, the
// configuration, the token cache, and a way to ask the loop for a re-plan.
import type { Store } from '../platform/store/connection.ts';
import type { Clock } from './clock.ts';
import type { ServeConfig } from './config.ts';
import type { LiveState } from './live-state.ts';
import type { Principal } from './tokens.ts';

export interface ServiceContext {
  store: Store;
  live: LiveState;
  clock: Clock;
  config: ServeConfig;
  /** Token hash -> who holds it (every token the store has; the service is the only writer). */
  tokens: Map<string, Principal>;
  /** Ask for a re-plan of a system now (after a report, a pause, an approval); never waits for it. */
  requestReplan(system: string): void;
}
