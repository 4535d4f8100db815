// JSON Schemas shared by the API's routes: they validate requests, shape responses (Fastify
// serialises only what a response schema declares) and make the OpenAPI document. Nullable fields
// use OpenAPI 3.0's `nullable`.
const nul = <T extends object>(s: T) => ({ ...s, nullable: true }) as T & { nullable: true };

export const num = { type: 'number' } as const;
export const int = { type: 'integer' } as const;
export const str = { type: 'string' } as const;
export const time = { type: 'string', format: 'date-time' } as const;
export const nNum = nul(num);
export const nInt = nul(int);
export const nStr = nul(str);
export const nTime = nul(time);

export const errorResponses = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  403: { $ref: 'Error#' },
  404: { $ref: 'Error#' },
  409: { $ref: 'Error#' },
} as const;

export const systemParams = {
  type: 'object',
  required: ['system'],
  properties: { system: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', maxLength: 64 } },
} as const;

export const truckParams = {
  type: 'object',
  required: ['truck'],
  properties: { truck: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const stationIdSchema = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const forecastSchema = nul({
  type: 'object',
  description: 'expected pickups and returns per hour from `start` (the latest stored forecast run)',
  required: ['start', 'pickups', 'returns'],
  properties: { start: time, pickups: { type: 'array', items: num }, returns: { type: 'array', items: num } },
});

export const stationSchema = {
  type: 'object',
  required: ['station_id', 'name', 'lat', 'lon', 'bikes', 'docks', 'min', 'max', 'class', 'updated_at'],
  properties: {
    station_id: str,
    name: nStr,
    number: nStr,
    lat: nNum,
    lon: nNum,
    capacity: nInt,
    bikes: nInt,
    docks: nInt,
    renting: { type: 'boolean', nullable: true },
    returning: { type: 'boolean', nullable: true },
    min: nInt,
    max: nInt,
    class: { ...nStr, description: "'shortage' | 'surplus' | 'balanced' (the latest targets)" },
    expected_failures: nNum,
    updated_at: nTime,
    forecast: forecastSchema,
  },
} as const;

export const stopSchema = {
  type: 'object',
  required: ['station_id', 'arrival'],
  properties: {
    seq: int,
    station_id: str,
    name: nStr,
    number: nStr,
    lat: num,
    lon: num,
    collect: int,
    drop: int,
    arrival: str,
    load_after: int,
  },
} as const;

export const planSchema = {
  type: 'object',
  required: ['routes', 'issued_at'],
  properties: {
    plan_id: nStr,
    state: nStr,
    at: nStr,
    target_run: nStr,
    issued_at: nTime,
    proposed_at: nTime,
    expected_failures_before: nNum,
    expected_failures_after: nNum,
    routes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['truck', 'stops'],
        properties: { truck: str, start: { type: 'object', properties: { lat: num, lon: num } }, start_load: int, end: str, stops: { type: 'array', items: stopSchema } },
      },
    },
  },
} as const;

export const reportSchema = {
  type: 'object',
  required: ['station_id', 'status', 'collected', 'dropped', 'reason', 'at'],
  properties: {
    report_id: int,
    truck: str,
    plan_id: nStr,
    station_id: str,
    status: { type: 'string', enum: ['done', 'skipped'] },
    collected: nInt,
    dropped: nInt,
    reason: nStr,
    at: time,
  },
} as const;

export const okSchema = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } } as const;
