/** An export the mapping cannot book: it lists everything missing, so one edit fixes it all. */
export class MappingIncompleteError extends Error {
  override readonly name = 'MappingIncompleteError';
  readonly erp: string;
  readonly missing: readonly string[];
  constructor(erp: string, missing: readonly string[]) {
    // One line: the CLI prints one line per error, the API one message.
    super(`${erp} journal refused: the GL mapping does not say: ${missing.join('; ')}`);
    this.erp = erp;
    this.missing = missing;
  }
}

/** No mapping file, or the file does not declare this ERP. */
export class MappingNotConfiguredError extends Error {
  override readonly name = 'MappingNotConfiguredError';
  constructor(erp: string, hasFile: boolean) {
    super(
      hasFile
        ? `${erp} journal refused: the GL mapping has no "${erp}" section (see docs/exports.md)`
        : `${erp} journal refused: no GL mapping is configured; set STIPEND_GL_MAPPING_FILE to a mapping file (see docs/exports.md)`,
    );
  }
}
