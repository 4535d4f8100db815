import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('seoul-stations', 'Seoul station lists (CSV vintages, API stationInfo JSON)');
