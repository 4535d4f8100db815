import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('weather', 'Hourly weather (KMA ASOS CSV)');
