import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('gbfs-trips', 'GBFS-style trip CSVs (Citi Bike, Divvy, Bixi, Bay Wheels)');
