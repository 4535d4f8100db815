// A hand-made plan for the writers' tests: two trucks in Seoul (real station numbers, names and
// positions from the city's station list), one truck idle; names with characters that need
// escaping in CSV and HTML are added on purpose.
import { asStationId } from '../../../platform/ids.ts';
import type { Plan } from '../plan.ts';

type Stop = Plan['routes'][number]['stops'][number];
const stop = (o: Partial<Omit<Stop, 'station_id'>> & Pick<Stop, 'arrival' | 'load_after' | 'lat' | 'lon'> & { station_id: string }) => ({
  name: null, number: null, bikes_before: null, bikes_after: null, failures_before: 0, failures_after: 0, ...o, station_id: asStationId(o.station_id),
});

export function handMadePlan(): Plan {
  return {
    system: 'seoul',
    at: '2025-06-02T08:00:00+09:00',
    target_run: 'run-2025-06-02T0800',
    horizon_minutes: 180,
    expected_failures_before: 41.5,
    expected_failures_after: 17.25,
    greedy_failures_after: 24,
    undone: [],
    routes: [
      {
        truck: 't1',
        start: { lat: 37.5665, lon: 126.978 },
        start_load: 0,
        zone: '중구+종로구',
        end: '2025-06-02T09:41:00+09:00',
        driving_minutes: 52.5,
        handling_minutes: 18,
        stops: [
          stop({ station_id: 'ST-10', number: '108', name: '서교동 사거리', lat: 37.55274582, lon: 126.91861725, collect: 12, arrival: '2025-06-02T08:21:00+09:00', load_after: 12, bikes_before: 30, bikes_after: 18, failures_before: 3.2, failures_after: 0.4 }),
          stop({ station_id: 'ST-2000', number: '774', name: '등촌역 4번 출구', lat: 37.54950714, lon: 126.86721802, drop: 7, arrival: '2025-06-02T08:49:00+09:00', load_after: 5, bikes_before: 0, bikes_after: 7, failures_before: 4.1, failures_after: 0.9 }),
          stop({ station_id: 'ST-X', number: '9999', name: 'Test "quoted", <b>name</b>', lat: 37.5401, lon: 126.8702, drop: 5, arrival: '2025-06-02T09:05:00+09:00', load_after: 0, bikes_before: 1, bikes_after: 6, failures_before: 2, failures_after: 0.5 }),
        ],
      },
      {
        truck: 't 2/b',
        start: { lat: 37.5, lon: 127.03 },
        start_load: 10,
        end: '2025-06-02T09:02:00+09:00',
        driving_minutes: 30,
        handling_minutes: 10,
        stops: [
          stop({ station_id: 'ST-2001', number: '775', name: '세종그랑시아 앞(102동)', lat: 37.53837585, lon: 126.86383057, drop: 10, arrival: '2025-06-02T08:40:00+09:00', load_after: 0 }),
          stop({ station_id: 'ST-3', number: '2001', name: null, lat: 37.51, lon: 127.05, collect: 4, arrival: '2025-06-02T23:59:30+09:00', load_after: 4 }),
        ],
      },
      {
        truck: 't3',
        start: { lat: 37.5665, lon: 126.978 },
        start_load: 0,
        end: '2025-06-02T08:00:00+09:00',
        driving_minutes: 0,
        handling_minutes: 0,
        stops: [],
      },
    ],
  };
}
