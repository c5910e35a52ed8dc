import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import csv from 'csv-parser';
import { ImportFailure } from './import-failure';
import { LineTracker } from './line-tracker';

/** Far above any valid row (~10 KB); stops an unclosed quote from buffering the rest of the file. */
const MAX_ROW_BYTES = 1 << 20;

export type CsvItem =
  | { kind: 'header'; fields: string[] }
  | { kind: 'row'; line: number; offset: number; fields: string[] };

/**
 * Streams a CSV file: the header row first, then every non-blank data row with its fields in
 * file order, the physical line it starts on and its byte offset. Backpressure comes from the
 * consumer: nothing is read ahead beyond the stream buffers.
 */
export async function* readCsv(filePath: string, chunkBytes = 256 * 1024): AsyncGenerator<CsvItem> {
  const tracker = new LineTracker();
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      // csv-parser unescapes "" in place, which can move line feeds inside the buffer: count on a copy.
      tracker.push(Buffer.from(chunk));
      done(null, chunk);
    },
  });
  let header: string[] | undefined;
  const parser = csv({
    // Keyed by position so duplicate or odd header names cannot collide or be dropped.
    mapHeaders: ({ header: name, index }) => {
      (header ??= [])[index] = name;
      return `c${index}`;
    },
    outputByteOffset: true,
    maxRowBytes: MAX_ROW_BYTES,
  });
  const file = createReadStream(filePath, { highWaterMark: chunkBytes });
  pipeline(file, tap, parser, () => undefined);

  let headerSent = false;
  let lastOffset = 0;
  try {
    for await (const record of parser as AsyncIterable<{ row: Record<string, string>; byteOffset: number }>) {
      if (!headerSent && header) {
        headerSent = true;
        yield { kind: 'header', fields: header };
      }
      const fields = Object.values(record.row);
      if (fields.length === 0) continue;
      lastOffset = record.byteOffset;
      yield { kind: 'row', line: tracker.lineAt(record.byteOffset), offset: record.byteOffset, fields };
    }
  } catch (error) {
    if ((error as Error).message === 'Row exceeds the maximum size') {
      throw new ImportFailure(`a row after line ${tracker.lineAt(lastOffset)} is longer than ${MAX_ROW_BYTES} bytes (an unclosed quote?)`);
    }
    throw error;
  } finally {
    file.destroy();
    parser.destroy();
  }
  if (!headerSent && header) yield { kind: 'header', fields: header };
}
