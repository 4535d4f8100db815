// GBFS re-published (/gbfs/<system>/...): gbfs.json, system_information.json,
// station_information.json and station_status.json in GBFS 2.3, from the service's live state, as
// entur/lamassu does; a system collected from another API (Seoul's bikeList) is published as GBFS too.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../context.ts';
import { int, num, str, systemParams } from '../schemas.ts';
import { stationIds } from '../views.ts';
import { systemOr404 } from './systems.ts';

const FEEDS = ['system_information', 'station_information', 'station_status'] as const;
const TTL_S = 60;

const envelope = (dataSchema: object) => ({
  type: 'object',
  required: ['last_updated', 'ttl', 'version', 'data'],
  properties: { last_updated: int, ttl: int, version: str, data: dataSchema },
});

export const gbfsRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (app) => {
  const base = (req: FastifyRequest, system: string) => `${req.protocol}://${req.host}/gbfs/${system}`;
  const stamp = (ms: number | null) => Math.floor((ms ?? ctx.clock.now()) / 1000);

  app.get<{ Params: { system: string } }>('/:system/gbfs.json', {
    schema: { summary: 'GBFS discovery', tags: ['gbfs'], params: systemParams, response: { 200: envelope({ type: 'object', additionalProperties: { type: 'object', properties: { feeds: { type: 'array', items: { type: 'object', properties: { name: str, url: str } } } } } }) } },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    return { last_updated: stamp(s.feed.lastSnapshotMs), ttl: TTL_S, version: '2.3', data: { en: { feeds: FEEDS.map((name) => ({ name, url: `${base(req, s.id)}/${name}.json` })) } } };
  });

  app.get<{ Params: { system: string } }>('/:system/system_information.json', {
    schema: { summary: 'GBFS system_information', tags: ['gbfs'], params: systemParams, response: { 200: envelope({ type: 'object', properties: { system_id: str, language: str, name: str, timezone: str } }) } },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    return { last_updated: stamp(null), ttl: 3600, version: '2.3', data: { system_id: s.id, language: 'en', name: s.name, timezone: s.timezone } };
  });

  app.get<{ Params: { system: string } }>('/:system/station_information.json', {
    schema: {
      summary: 'GBFS station_information', tags: ['gbfs'], params: systemParams,
      response: { 200: envelope({ type: 'object', properties: { stations: { type: 'array', items: { type: 'object', properties: { station_id: str, name: str, short_name: str, lat: num, lon: num, capacity: int } } } } }) },
    },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    const stations = [...s.stations.values()].filter((x) => x.lat !== null && x.lon !== null).map((x) => ({
      station_id: x.stationId, name: x.name ?? x.stationId, ...(x.number ? { short_name: x.number } : {}), lat: x.lat, lon: x.lon, ...(x.capacity !== null ? { capacity: x.capacity } : {}),
    }));
    return { last_updated: stamp(null), ttl: 3600, version: '2.3', data: { stations } };
  });

  app.get<{ Params: { system: string } }>('/:system/station_status.json', {
    schema: {
      summary: 'GBFS station_status (the last good snapshot)', tags: ['gbfs'], params: systemParams,
      response: {
        200: envelope({
          type: 'object',
          properties: {
            stations: { type: 'array', items: { type: 'object', properties: { station_id: str, num_bikes_available: int, num_docks_available: int, is_installed: { type: 'boolean' }, is_renting: { type: 'boolean' }, is_returning: { type: 'boolean' }, last_reported: int } } },
          },
        }),
      },
    },
  }, async (req) => {
    const s = systemOr404(ctx, req.params.system);
    const stations = stationIds(s).flatMap((id) => {
      const st = s.status.get(id);
      if (!st) return [];
      return [{ station_id: id, num_bikes_available: st.bikes, num_docks_available: st.docks ?? 0, is_installed: st.installed, is_renting: st.renting, is_returning: st.returning, last_reported: Math.floor(st.updatedAtMs / 1000) }];
    });
    return { last_updated: stamp(s.feed.lastSnapshotMs), ttl: TTL_S, version: '2.3', data: { stations } };
  });
};
