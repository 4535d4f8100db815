import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('seoul-usage', 'Seoul station-month rentals and returns');
