const LF = 0x0a;

/**
 * Turns csv-parser's row byte offsets into physical line numbers. csv-parser counts records, not
 * lines, so a quoted field spanning lines would shift every later line number. The raw chunks are
 * fed in as they reach the parser and dropped once every row that starts in them has been asked
 * about, so memory holds only what the parser has buffered.
 */
export class LineTracker {
  private readonly chunks: Buffer[] = [];
  /** File offset of chunks[0]. */
  private chunkStart = 0;
  /** Bytes of chunks[0] already counted. */
  private scanned = 0;
  private newlines = 0;

  push(chunk: Buffer): void {
    if (chunk.length > 0) this.chunks.push(chunk);
  }

  /** The 1-based line on which the byte at `offset` sits. Offsets must not decrease between calls. */
  lineAt(offset: number): number {
    while (this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const stop = Math.min(chunk.length, offset - this.chunkStart);
      if (stop <= this.scanned) break;
      for (let i = chunk.indexOf(LF, this.scanned); i !== -1 && i < stop; i = chunk.indexOf(LF, i + 1)) this.newlines++;
      this.scanned = stop;
      if (this.scanned < chunk.length) break;
      this.chunks.shift();
      this.chunkStart += chunk.length;
      this.scanned = 0;
    }
    return this.newlines + 1;
  }
}
