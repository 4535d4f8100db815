import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('gbfs-history', 'GBFS status change log folder (status changes, snapshot times, station_information history)');
