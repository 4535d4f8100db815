// What the service knows now, per system, in memory: the stations, their last status, the latest
// targets and forecast, the plan issued, the feed's health. The pollers and the loop write it (the
// store stays the record); the API reads it, so a read never waits on the store or a re-plan.
import { EventEmitter } from 'node:events';
import type { StatusSnapshot } from '../platform/status/observation.ts';
import type { Plan } from '../rebalancing/planning/plan.ts';

export interface LiveStation {
  stationId: string;
  name: string | null;
  number: string | null;
  lat: number | null;
  lon: number | null;
  capacity: number | null;
}

export interface LiveStatus {
  bikes: number;
  docks: number | null;
  updatedAtMs: number;
  installed: boolean;
  renting: boolean;
  returning: boolean;
}

export interface LiveTarget {
  min: number;
  max: number;
  class: string | null;
  expectedFailures: number | null;
}

export interface LiveTargets {
  runId: string;
  atMs: number;
  horizonMinutes: number;
  stations: Map<string, LiveTarget>;
}

export interface LiveForecast {
  runId: string;
  /** First hour (epoch ms, UTC hour start). */
  startMs: number;
  hours: number;
  stations: Map<string, { pickups: number[]; returns: number[] }>;
}

export type PlanState = 'proposed' | 'issued' | 'superseded';

export interface LivePlan {
  planId: string;
  state: PlanState;
  proposedAtMs: number;
  issuedAtMs: number | null;
  plan: Plan;
}

export interface FeedHealth {
  lastSnapshotMs: number | null;
  lastPollMs: number | null;
  lastError: { atMs: number; message: string } | null;
  snapshots: number;
  failures: number;
}

/** What the service knows of a truck from its drivers and operators. */
export interface LiveTruck {
  id: string;
  paused: boolean;
  position: { lat: number; lon: number; atMs: number } | null;
  /** Bikes aboard: the fleet file's start load, plus what reports say was collected, minus dropped. */
  load: number;
  /** Stations of the issued plan this truck reported (done or skipped). */
  reported: Set<string>;
}

export interface ServiceEvent {
  type: 'status' | 'targets' | 'plan' | 'report' | 'truck' | 'station' | 'feed';
  system: string;
  at: string;
  data: unknown;
}

export class SystemLive {
  stations = new Map<string, LiveStation>();
  status = new Map<string, LiveStatus>();
  targets: LiveTargets | null = null;
  forecast: LiveForecast | null = null;
  /** The plan the drivers follow, and one waiting for approval (when plans are not auto-approved). */
  issued: LivePlan | null = null;
  proposed: LivePlan | null = null;
  feed: FeedHealth = { lastSnapshotMs: null, lastPollMs: null, lastError: null, snapshots: 0, failures: 0 };
  /** When the last re-plan cycle ran and how it ended. */
  lastCycle: { atMs: number; outcome: string; seconds: number } | null = null;

  /** Operators' station rules: 'pin' (favoured by the planner) or 'forbid' (never visited). */
  stationRules = new Map<string, 'pin' | 'forbid'>();
  readonly trucks = new Map<string, LiveTruck>();

  constructor(readonly id: string, public name: string, public timezone: string, fleet: readonly { id: string; startLoad: number }[]) {
    for (const t of fleet) this.trucks.set(t.id, { id: t.id, paused: false, position: null, load: t.startLoad, reported: new Set() });
  }

  /** Take a snapshot in; returns the stations whose state changed. */
  applySnapshot(snap: StatusSnapshot): string[] {
    const changed: string[] = [];
    const t = snap.observedAt.getTime();
    for (const o of snap.stations) {
      if (o.bikesAvailable === null) continue;
      const next: LiveStatus = {
        bikes: o.bikesAvailable, docks: o.docksAvailable, updatedAtMs: o.lastReported?.getTime() ?? t,
        installed: o.isInstalled ?? true, renting: o.isRenting ?? true, returning: o.isReturning ?? true,
      };
      const prev = this.status.get(o.stationId);
      if (!prev || prev.bikes !== next.bikes || prev.docks !== next.docks || prev.renting !== next.renting || prev.returning !== next.returning || prev.installed !== next.installed) changed.push(o.stationId);
      this.status.set(o.stationId, next);
    }
    this.feed.lastSnapshotMs = Math.max(this.feed.lastSnapshotMs ?? 0, t);
    this.feed.snapshots++;
    return changed;
  }
}

/** The service's systems and its event stream (what the server-sent events endpoint relays). */
export class LiveState {
  readonly systems = new Map<string, SystemLive>();
  private readonly bus = new EventEmitter();

  constructor() {
    this.bus.setMaxListeners(0); // one listener per open event stream
  }

  system(id: string): SystemLive | undefined {
    return this.systems.get(id);
  }

  /** The system a truck belongs to (truck ids are unique across the service's fleets: `checkTruckIds`). */
  systemOfTruck(truck: string): SystemLive | undefined {
    for (const s of this.systems.values()) if (s.trucks.has(truck)) return s;
    return undefined;
  }

  emit(e: Omit<ServiceEvent, 'at'>, atMs: number): void {
    this.bus.emit('event', { ...e, at: new Date(atMs).toISOString() } satisfies ServiceEvent);
  }

  subscribe(listener: (e: ServiceEvent) => void): () => void {
    this.bus.on('event', listener);
    return () => this.bus.off('event', listener);
  }
}
