import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('seoul-trips', 'Seoul trip history (대여이력), every header vintage, CP949 or UTF-8');
