import { notYetImplemented } from './not-yet.ts';

export const importer = notYetImplemented('boundaries', 'District / dong boundaries GeoJSON');
