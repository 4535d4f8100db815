// Errors a user can act on: they name the file, and where known the line and the field.
export class ImportError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  constructor(file: string, message: string, where: { line?: number; field?: string } = {}) {
    const at = [file, where.line !== undefined ? `line ${where.line}` : undefined, where.field !== undefined ? `field '${where.field}'` : undefined]
      .filter((p) => p !== undefined)
      .join(', ');
    super(`${at}: ${message}`);
    this.name = 'ImportError';
    this.file = file;
    this.line = where.line;
    this.field = where.field;
  }
}
