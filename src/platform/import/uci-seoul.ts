import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('uci-seoul', 'UCI Seoul Bike Sharing Demand hourly file');
