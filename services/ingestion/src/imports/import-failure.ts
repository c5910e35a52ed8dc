/** A problem with the file itself: retrying cannot help, so the import fails at once. */
export class ImportFailure extends Error {
  override name = 'ImportFailure';
}
