import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('gbfs', 'GBFS system_information / station_information / station_status (v2.x, v3.0)');
