// `none`: no truck moves: what the demand does to the stations alone.
import type { Policy } from './policy.ts';

export function nonePolicy(): Policy {
  return { name: 'none', usesTrucks: false, replans: 0, dispatch: () => null };
}
