// Schema versions of the store. A migration is never edited once released: add a new one.
// Conventions: station ids are VARCHAR as published; instants are TIMESTAMPTZ in UTC; every row
// loaded from a file carries the `import_id` of the `imports` row that brought it in.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core tables',
    sql: `
CREATE SEQUENCE IF NOT EXISTS import_id_seq START 1;

-- Every file imported: the key to idempotency (same kind, system and content hash = same import).
CREATE TABLE imports (
  import_id     BIGINT PRIMARY KEY,
  kind          VARCHAR NOT NULL,
  system_id     VARCHAR NOT NULL,
  file_name     VARCHAR NOT NULL,
  file_path     VARCHAR NOT NULL,
  sha256        VARCHAR NOT NULL,
  bytes         BIGINT NOT NULL,
  encoding      VARCHAR,
  rows_imported BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  rejects       JSON,            -- {"reason": rows, ...}
  started_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ NOT NULL,
  UNIQUE (kind, system_id, sha256)
);

-- Up to a few sample rows per reason and import, so a person can see what was rejected.
CREATE TABLE import_rejects (
  import_id BIGINT NOT NULL,
  reason    VARCHAR NOT NULL,
  line      BIGINT,
  field     VARCHAR,
  raw       VARCHAR
);

CREATE TABLE systems (
  system_id  VARCHAR PRIMARY KEY,
  name       VARCHAR,
  timezone   VARCHAR NOT NULL DEFAULT 'UTC',
  country    VARCHAR,            -- ISO 3166-1 alpha-2, for the holiday calendar
  source     VARCHAR,
  url        VARCHAR,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The current view of every station known for a system (latest attributes win).
CREATE TABLE stations (
  system_id    VARCHAR NOT NULL,
  station_id   VARCHAR NOT NULL,
  short_name   VARCHAR,           -- e.g. Seoul's station number, GBFS short_name
  name         VARCHAR,
  district     VARCHAR,           -- 자치구 for Seoul, region elsewhere
  address      VARCHAR,
  lat          DOUBLE,
  lon          DOUBLE,
  capacity     INTEGER,
  installed_on DATE,
  valid_from   TIMESTAMPTZ,       -- first seen / installed
  valid_to     TIMESTAMPTZ,       -- removed (NULL while active)
  source       VARCHAR,
  import_id    BIGINT,
  PRIMARY KEY (system_id, station_id)
);

-- Station attributes over time (GBFS station_information history): one row per version.
CREATE TABLE station_versions (
  system_id  VARCHAR NOT NULL,
  station_id VARCHAR NOT NULL,
  valid_from TIMESTAMPTZ NOT NULL,
  valid_to   TIMESTAMPTZ,
  name       VARCHAR,
  lat        DOUBLE,
  lon        DOUBLE,
  capacity   INTEGER,
  import_id  BIGINT,
  PRIMARY KEY (system_id, station_id, valid_from)
);

-- Where sources name the same station differently (Seoul API 'ST-4' vs trip files' '102').
CREATE TABLE station_ids (
  system_id  VARCHAR NOT NULL,
  source     VARCHAR NOT NULL,    -- e.g. 'seoul-api'
  source_id  VARCHAR NOT NULL,    -- the id as that source writes it
  station_id VARCHAR NOT NULL,    -- the id used in this store
  PRIMARY KEY (system_id, source, source_id)
);

CREATE TABLE trips (
  system_id        VARCHAR NOT NULL,
  trip_id          VARCHAR,
  bike_id          VARCHAR,
  started_at       TIMESTAMPTZ NOT NULL,
  ended_at         TIMESTAMPTZ NOT NULL,
  start_station_id VARCHAR NOT NULL,
  end_station_id   VARCHAR NOT NULL,
  duration_s       DOUBLE,
  distance_m       DOUBLE,
  user_type        VARCHAR,
  birth_year       INTEGER,
  gender           VARCHAR,
  rideable_type    VARCHAR,
  import_id        BIGINT NOT NULL
);

-- Station status as a change log: one row each time a station's state was first seen to differ.
-- A state holds until the station's next row; coverage is judged from snapshots and gaps.
CREATE TABLE status (
  system_id          VARCHAR NOT NULL,
  station_id         VARCHAR NOT NULL,
  observed_at        TIMESTAMPTZ NOT NULL,  -- snapshot / fetch time (UTC)
  last_reported      TIMESTAMPTZ,           -- the feed's own per-station time
  feed_last_updated  TIMESTAMPTZ,           -- the feed's last_updated
  bikes_available    INTEGER,
  ebikes_available   INTEGER,
  bikes_disabled     INTEGER,
  docks_available    INTEGER,
  docks_disabled     INTEGER,
  capacity           INTEGER,               -- racks, where the feed gives them (Seoul rackTotCnt)
  is_installed       BOOLEAN,
  is_renting         BOOLEAN,
  is_returning       BOOLEAN,
  import_id          BIGINT
);

-- Every feed time seen (a snapshot covers all stations at that time).
CREATE TABLE snapshots (
  system_id   VARCHAR NOT NULL,
  observed_at TIMESTAMPTZ NOT NULL,
  stations    INTEGER,
  source      VARCHAR,
  import_id   BIGINT,
  PRIMARY KEY (system_id, observed_at)
);

-- Intervals with no good snapshot (feed outage), longer than the expected interval.
CREATE TABLE gaps (
  system_id  VARCHAR NOT NULL,
  gap_start  TIMESTAMPTZ NOT NULL,
  gap_end    TIMESTAMPTZ NOT NULL,
  reason     VARCHAR,
  PRIMARY KEY (system_id, gap_start)
);

-- The series every later stage forecasts: per station and UTC hour.
CREATE TABLE hourly_flows (
  system_id        VARCHAR NOT NULL,
  station_id       VARCHAR NOT NULL,
  hour             TIMESTAMPTZ NOT NULL,
  pickups          DOUBLE NOT NULL,
  returns          DOUBLE NOT NULL,
  minutes_observed DOUBLE NOT NULL,
  minutes_empty    DOUBLE NOT NULL,
  minutes_full     DOUBLE NOT NULL,
  source           VARCHAR NOT NULL,        -- 'status' or 'trips'
  PRIMARY KEY (system_id, station_id, hour)
);

-- Per station and month (Seoul's published station-month usage).
CREATE TABLE station_monthly (
  system_id  VARCHAR NOT NULL,
  station_id VARCHAR NOT NULL,
  month      DATE NOT NULL,
  rentals    DOUBLE,
  returns    DOUBLE,
  import_id  BIGINT,
  PRIMARY KEY (system_id, station_id, month)
);

-- City-level hourly counts (UCI file, system-wide hourly series).
CREATE TABLE system_hourly (
  system_id       VARCHAR NOT NULL,
  hour            TIMESTAMPTZ NOT NULL,
  rentals         DOUBLE NOT NULL,
  holiday         BOOLEAN,
  functioning_day BOOLEAN,
  source          VARCHAR NOT NULL,
  import_id       BIGINT,
  PRIMARY KEY (system_id, source, hour)
);

-- Hourly weather for a place (a system's city).
CREATE TABLE weather_hourly (
  system_id        VARCHAR NOT NULL,
  hour             TIMESTAMPTZ NOT NULL,
  station          VARCHAR NOT NULL,       -- weather station, e.g. 'ASOS-108'
  temperature_c    DOUBLE,
  precipitation_mm DOUBLE,
  wind_ms          DOUBLE,
  humidity_pct     DOUBLE,
  visibility_m     DOUBLE,
  dewpoint_c       DOUBLE,
  solar_mj         DOUBLE,
  snow_cm          DOUBLE,
  import_id        BIGINT,
  PRIMARY KEY (system_id, station, hour)
);

CREATE TABLE boundaries (
  system_id   VARCHAR NOT NULL,
  level       VARCHAR NOT NULL,            -- 'district' | 'dong'
  code        VARCHAR NOT NULL,
  name        VARCHAR,
  parent_code VARCHAR,
  geometry    JSON NOT NULL,               -- GeoJSON geometry
  import_id   BIGINT,
  PRIMARY KEY (system_id, level, code)
);
`,
  },
  {
    version: 2,
    name: 'rain flag and hourly air quality',
    sql: `
-- Some sources say only whether it rained in the hour (Seoul's hourly rentals+weather series has
-- precipitation 0/1), not how much: kept here; for sources in mm it is precipitation_mm > 0.
ALTER TABLE weather_hourly ADD COLUMN rain BOOLEAN;

-- Hourly air quality where a source gives it (PM10, PM2.5 in ug/m3; ozone in ppm).
CREATE TABLE air_quality_hourly (
  system_id  VARCHAR NOT NULL,
  hour       TIMESTAMPTZ NOT NULL,
  station    VARCHAR NOT NULL,
  pm10_ugm3  DOUBLE,
  pm25_ugm3  DOUBLE,
  ozone_ppm  DOUBLE,
  import_id  BIGINT,
  PRIMARY KEY (system_id, station, hour)
);
`,
  },
  {
    version: 3,
    name: 'living population',
    sql: `
-- 생활인구: the hourly estimate of people present in a 행정동, total and by sex x age band (values
-- are fractional estimates). One row per dong and hour; \`hour\` is the UTC instant of the start of
-- the published KST hour, \`local_date\`/\`local_hour\` the published 기준일ID / 시간대구분.
CREATE TABLE population_hourly (
  system_id    VARCHAR NOT NULL,
  dong_code    VARCHAR NOT NULL,   -- 8-digit 행정동코드 (adm_cd2[:8] in the boundaries file)
  hour         TIMESTAMPTZ NOT NULL,
  local_date   DATE NOT NULL,
  local_hour   TINYINT NOT NULL,
  total        DOUBLE NOT NULL,
  m00_09       DOUBLE,
  m10_14       DOUBLE,
  m15_19       DOUBLE,
  m20_24       DOUBLE,
  m25_29       DOUBLE,
  m30_34       DOUBLE,
  m35_39       DOUBLE,
  m40_44       DOUBLE,
  m45_49       DOUBLE,
  m50_54       DOUBLE,
  m55_59       DOUBLE,
  m60_64       DOUBLE,
  m65_69       DOUBLE,
  m70p         DOUBLE,
  f00_09       DOUBLE,
  f10_14       DOUBLE,
  f15_19       DOUBLE,
  f20_24       DOUBLE,
  f25_29       DOUBLE,
  f30_34       DOUBLE,
  f35_39       DOUBLE,
  f40_44       DOUBLE,
  f45_49       DOUBLE,
  f50_54       DOUBLE,
  f55_59       DOUBLE,
  f60_64       DOUBLE,
  f65_69       DOUBLE,
  f70p         DOUBLE,
  import_id    BIGINT,
  PRIMARY KEY (system_id, dong_code, hour)
);
`,
  },
  {
    version: 4,
    name: 'stats: hourly station flows derived from trips',
    sql: `
-- Trips summed per station and UTC hour (pickups at the start station, returns at the end
-- station), built lazily by the statistics stage so that it reads station-hours, not every trip.
-- The state row says which trips it was built from; a new trips import makes it stale.
CREATE TABLE trip_hourly_flows (
  system_id  VARCHAR NOT NULL,
  station_id VARCHAR NOT NULL,
  hour       TIMESTAMPTZ NOT NULL,
  pickups    DOUBLE NOT NULL,
  returns    DOUBLE NOT NULL
);
CREATE TABLE trip_hourly_flows_state (
  system_id      VARCHAR PRIMARY KEY,
  trips          BIGINT NOT NULL,
  last_import_id BIGINT,
  built_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
`,
  },
  {
    version: 5,
    name: 'forecast models, runs and forecasts',
    sql: `
-- A fitted station-hour demand model (its trees, profiles and dispersions as JSON), so that
-- \`forecast predict\` and \`forecast factors\` reuse the last \`forecast fit\`.
CREATE TABLE forecast_models (
  model_id   VARCHAR PRIMARY KEY,
  system_id  VARCHAR NOT NULL,
  model      VARCHAR NOT NULL,
  fitted_at  TIMESTAMPTZ NOT NULL,
  data_from  TIMESTAMPTZ NOT NULL,
  data_to    TIMESTAMPTZ NOT NULL,      -- cut-off: hours before it were used
  stations   INTEGER NOT NULL,
  params     JSON NOT NULL
);

-- One named prediction run, and its long table: per station, hour and flow the expected count,
-- the 80% / 95% intervals and the negative-binomial parameters (variance = mu + mu^2 / size).
CREATE TABLE forecast_runs (
  run_id     VARCHAR PRIMARY KEY,
  system_id  VARCHAR NOT NULL,
  model_id   VARCHAR NOT NULL,
  model      VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  origin     TIMESTAMPTZ NOT NULL,      -- first forecast hour; only data before it were read
  hours      INTEGER NOT NULL,
  stations   INTEGER NOT NULL
);
CREATE TABLE forecasts (
  run_id     VARCHAR NOT NULL,
  station_id VARCHAR NOT NULL,          -- unique_id
  hour       TIMESTAMPTZ NOT NULL,      -- ds (UTC hour start)
  flow       VARCHAR NOT NULL,          -- 'pickups' | 'returns'
  horizon_h  INTEGER NOT NULL,
  mean       DOUBLE NOT NULL,           -- y
  lo_80      DOUBLE NOT NULL,
  hi_80      DOUBLE NOT NULL,
  lo_95      DOUBLE NOT NULL,
  hi_95      DOUBLE NOT NULL,
  distribution VARCHAR NOT NULL,        -- 'negbin'
  mu         DOUBLE NOT NULL,
  size       DOUBLE NOT NULL,
  PRIMARY KEY (run_id, station_id, hour, flow)
);
`,
  },
  {
    version: 6,
    name: 'hourly flows: rebalancing moves kept apart from demand',
    // Jumps in a station's bike count too large for riders in one snapshot interval are truck moves
    // (see docs/data-model.md): kept here so the targets and routes stages can see rebalancing.
    sql: `
ALTER TABLE hourly_flows ADD COLUMN truck_in DOUBLE DEFAULT 0;
ALTER TABLE hourly_flows ADD COLUMN truck_out DOUBLE DEFAULT 0;
`,
  },
  {
    version: 7,
    name: 'targets: safety-stock runs and per-station intervals',
    sql: `
-- One run of \`urbanlab targets\`: when, over which horizon, at which service level, from which rates
-- ('forecast:<run_id>' or 'historical-average'), and the shortage/surplus ratios (system, districts).
CREATE TABLE target_runs (
  run_id          VARCHAR PRIMARY KEY,
  system_id       VARCHAR NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  at_time         TIMESTAMPTZ NOT NULL,  -- --at: the time of the current bikes and the horizon start
  horizon_minutes INTEGER NOT NULL,
  step_minutes    INTEGER NOT NULL,
  service         DOUBLE NOT NULL,
  rates           VARCHAR NOT NULL,
  capacity_policy VARCHAR NOT NULL,      -- 'hard' or the soft overflow allowance, e.g. 'soft:50%'
  stations        INTEGER NOT NULL,
  summary         JSON NOT NULL
);
-- Per station: the interval, the class of the current bikes, and the curves by start inventory
-- (index = bikes at the start, 0..capacity): expected failed rentals and returns over the horizon
-- (what routing minimises), and the probabilities of running empty and full.
CREATE TABLE targets (
  run_id            VARCHAR NOT NULL,
  station_id        VARCHAR NOT NULL,
  district          VARCHAR,
  racks             INTEGER,
  capacity          INTEGER NOT NULL,    -- the model's: racks, plus the overflow allowance where soft
  current           INTEGER,
  min               INTEGER NOT NULL,
  max               INTEGER NOT NULL,
  feasible          BOOLEAN NOT NULL,    -- false: no start meets the service level; min = max = least risk
  class             VARCHAR,             -- 'shortage' | 'surplus' | 'balanced'
  bring             INTEGER NOT NULL,
  take              INTEGER NOT NULL,
  expected_failures DOUBLE,
  risk_at_current   DOUBLE,
  failed_rentals    JSON NOT NULL,
  failed_returns    JSON NOT NULL,
  p_empty           JSON NOT NULL,
  p_full            JSON NOT NULL,
  PRIMARY KEY (run_id, station_id)
);
`,
  },
  {
    version: 8,
    name: 'zones: truck territories (zone sets)',
    sql: `
-- A named split of a system's stations into truck territories (\`urbanlab zones\`): how it was made
-- ('district' | 'balanced'), for how many trucks, from which target run, and its report (JSON).
CREATE TABLE zone_sets (
  system_id  VARCHAR NOT NULL,
  zone_set   VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  method     VARCHAR NOT NULL,
  trucks     INTEGER NOT NULL,
  target_run VARCHAR,              -- NULL: made without targets (no work known)
  report     JSON NOT NULL,
  PRIMARY KEY (system_id, zone_set)
);
-- The zones of a set and the trucks each gets (they sum to zone_sets.trucks).
CREATE TABLE zones (
  system_id VARCHAR NOT NULL,
  zone_set  VARCHAR NOT NULL,
  zone      VARCHAR NOT NULL,
  trucks    INTEGER NOT NULL,
  PRIMARY KEY (system_id, zone_set, zone)
);
-- Every station's zone in a set.
CREATE TABLE zone_stations (
  system_id  VARCHAR NOT NULL,
  zone_set   VARCHAR NOT NULL,
  station_id VARCHAR NOT NULL,
  zone       VARCHAR NOT NULL,
  PRIMARY KEY (system_id, zone_set, station_id)
);
`,
  },
  {
    version: 9,
    name: 'plans: operational truck plans and their stops',
    sql: `
-- One run of \`urbanlab route plan\`: the target run it was made from, the fleet, how travel times
-- were made, the expected failures before / after the plan and after the greedy dispatcher, and the
-- whole plan as printed (the contract's JSON) for the writers (GeoJSON, CSV, sheets).
CREATE TABLE plans (
  plan_id                  VARCHAR PRIMARY KEY,
  system_id                VARCHAR NOT NULL,
  created_at               TIMESTAMPTZ NOT NULL,
  at_time                  TIMESTAMPTZ NOT NULL,   -- when the trucks leave
  target_run               VARCHAR NOT NULL,
  fleet                    JSON NOT NULL,
  travel                   VARCHAR NOT NULL,       -- 'haversine x 1.3 at 20 km/h' or 'matrix <file>'
  seed                     INTEGER NOT NULL,
  time_limit_s             DOUBLE NOT NULL,
  expected_failures_before DOUBLE NOT NULL,
  expected_failures_after  DOUBLE NOT NULL,
  greedy_failures_after    DOUBLE NOT NULL,
  plan                     JSON NOT NULL
);
-- Each stop of each truck in order: exactly one of collect / drop is set.
CREATE TABLE plan_stops (
  plan_id         VARCHAR NOT NULL,
  truck           VARCHAR NOT NULL,
  seq             INTEGER NOT NULL,      -- 1, 2, ... along the truck's route
  station_id      VARCHAR NOT NULL,
  collect         INTEGER,
  "drop"          INTEGER,
  arrival         TIMESTAMPTZ NOT NULL,
  load_after      INTEGER NOT NULL,
  bikes_before    INTEGER,
  bikes_after     INTEGER,
  failures_before DOUBLE NOT NULL,
  failures_after  DOUBLE NOT NULL,
  PRIMARY KEY (plan_id, truck, seq)
);
`,
  },
  {
    version: 10,
    name: 'flow versions and the statistics roll-ups',
    sql: `
-- Bumped by every writer of a derived flow table (hourly_flows, trip_hourly_flows) in the same
-- transaction as its write, so that what is built from them (the statistics' roll-ups) knows when it
-- is stale without scanning them.
CREATE TABLE flow_versions (
  system_id  VARCHAR NOT NULL,
  flow_table VARCHAR NOT NULL,
  version    BIGINT NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (system_id, flow_table)
);
-- Station-hours rolled up to station x local day (with the day's station-hours by local hour as a list), and to
-- system x hour: what \`urbanlab stats\` reads, ~24x fewer rows than the station-hours. \`source\` is
-- the stats source ('trips' = trip_hourly_flows, 'status' = hourly_flows).
CREATE TABLE stats_station_days (
  system_id        VARCHAR NOT NULL,
  source           VARCHAR NOT NULL,
  station_id       VARCHAR NOT NULL,
  local_date       DATE NOT NULL,
  pickups          DOUBLE NOT NULL,
  returns          DOUBLE NOT NULL,
  minutes_observed DOUBLE,
  minutes_empty    DOUBLE,
  minutes_full     DOUBLE,
  hours            STRUCT(h TINYINT, p DOUBLE, r DOUBLE)[] NOT NULL  -- the day's station-hours by local hour h
);
CREATE TABLE stats_system_hours (
  system_id VARCHAR NOT NULL,
  source    VARCHAR NOT NULL,
  hour      TIMESTAMPTZ NOT NULL,
  pickups   DOUBLE NOT NULL,
  returns   DOUBLE NOT NULL
);
-- Which flow version each roll-up was built from, and in which time zone.
CREATE TABLE stats_rollup_state (
  system_id    VARCHAR NOT NULL,
  source       VARCHAR NOT NULL,
  flow_version BIGINT NOT NULL,
  timezone     VARCHAR NOT NULL,
  built_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (system_id, source)
);
`,
  },
  {
    version: 11,
    name: 'the live service: tokens, plan issues, driver reports, truck and station controls, audit',
    sql: `
-- Access tokens of \`urbanlab serve\` (\`urbanlab serve token create\`): only the SHA-256 of each token
-- is kept; a driver's token names its truck.
CREATE TABLE service_tokens (
  token_hash VARCHAR PRIMARY KEY,        -- hex SHA-256 of the token
  role       VARCHAR NOT NULL,           -- 'admin' | 'operator' | 'driver'
  truck      VARCHAR,                    -- drivers only
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);
-- Every plan the service made and what became of it: 'proposed' (waiting for an operator's
-- approval), 'issued' (sent to the drivers), 'superseded' (a later plan replaced it before issue).
-- The plan itself is in plans / plan_stops; a restart re-reads the issued one instead of re-issuing.
CREATE TABLE plan_issues (
  plan_id     VARCHAR PRIMARY KEY,
  system_id   VARCHAR NOT NULL,
  state       VARCHAR NOT NULL,
  proposed_at TIMESTAMPTZ NOT NULL,
  issued_at   TIMESTAMPTZ,
  approved_by VARCHAR                    -- 'auto' or the approving token's role
);
-- What drivers reported, in the order received: a stop done (real counts) or skipped (a reason).
-- Committed before the API answers 2xx, so an acknowledged report survives any crash.
CREATE SEQUENCE IF NOT EXISTS driver_report_seq START 1;
CREATE TABLE driver_reports (
  report_id   BIGINT PRIMARY KEY DEFAULT nextval('driver_report_seq'),
  system_id   VARCHAR NOT NULL,
  truck       VARCHAR NOT NULL,
  plan_id     VARCHAR,                   -- the issued plan the stop belonged to (NULL: unplanned stop)
  station_id  VARCHAR NOT NULL,
  status      VARCHAR NOT NULL,          -- 'done' | 'skipped'
  collected   INTEGER,
  dropped     INTEGER,
  reason      VARCHAR,
  received_at TIMESTAMPTZ NOT NULL,      -- the service's clock when it was received
  client_key  VARCHAR UNIQUE             -- the client's Idempotency-Key: a retried report is stored once
);
-- Where each truck said it was.
CREATE TABLE truck_positions (
  system_id VARCHAR NOT NULL,
  truck     VARCHAR NOT NULL,
  seen_at   TIMESTAMPTZ NOT NULL,
  lat       DOUBLE NOT NULL,
  lon       DOUBLE NOT NULL
);
-- Operators' controls, latest state: a paused truck gets no plan; a station pinned is favoured by
-- the planner, a forbidden one never visited.
CREATE TABLE truck_controls (
  system_id  VARCHAR NOT NULL,
  truck      VARCHAR NOT NULL,
  paused     BOOLEAN NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (system_id, truck)
);
CREATE TABLE station_controls (
  system_id  VARCHAR NOT NULL,
  station_id VARCHAR NOT NULL,
  rule       VARCHAR NOT NULL,           -- 'pin' | 'forbid'
  changed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (system_id, station_id)
);
-- Every write through the API, for the audit of a day.
CREATE TABLE service_audit (
  happened_at TIMESTAMPTZ NOT NULL,
  role      VARCHAR NOT NULL,
  action    VARCHAR NOT NULL,
  system_id VARCHAR,
  subject   VARCHAR,
  detail    JSON
);
`,
  },
  {
    version: 12,
    name: 'the live service: a driver token is bound to its truck\'s system',
    sql: `
-- A driver's token names a truck; truck ids are unique across one service's fleets, but a fleet
-- file may change between runs. The system the token was made for (or, for a token made offline
-- without one, the system that had its truck when the service first started with it) is kept, and
-- the token acts in that system only.
ALTER TABLE service_tokens ADD COLUMN system_id VARCHAR;
`,
  },
  {
    version: 13,
    name: 'imports: rows left out as duplicates of stored records',
    sql: `
-- Trips a file brought that the store already held (same ride_id, or same bike, times and stations):
-- not stored again, counted here (issue 20).
ALTER TABLE imports ADD COLUMN rows_duplicate BIGINT DEFAULT 0;
`,
  },
];
