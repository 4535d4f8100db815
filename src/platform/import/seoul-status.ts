import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('seoul-status', 'Seoul live-status snapshots (bikeList JSON)');
