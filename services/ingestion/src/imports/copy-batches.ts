import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A batch is sent at this many rows or bytes, whichever comes first. */
const BATCH_BYTES = 4 << 20;

// COPY's binary format: signature, flags, header extension length; a field count of -1 ends it.
const HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const TRAILER = 0xffff;

/**
 * Rows written in COPY's binary format into COPY statements on one connection: PostgreSQL
 * reads binary fields in about two thirds of the time it parses csv, on the core the import's
 * indexes are built on next. A batch is sent while the caller parses the next one, after the
 * previous batch has landed: one batch in flight at most, so memory stays bounded. Batches are
 * encoded into two buffers used in turn, one filling while the other is sent, so row values die
 * young; held as one long string a batch survived into the old generation and garbage
 * collection took a third of the import's time.
 */
export class CopyBatches {
  // Grown as rows need (to about a batch); a file with two rejected rows never asks for more.
  private filling = Buffer.allocUnsafe(64 << 10);
  private spare = Buffer.allocUnsafe(64 << 10);
  private bytes = 0;
  private count = 0;
  private inFlight: Promise<void> = Promise.resolve();
  /** Rows handed to PostgreSQL so far. */
  sent = 0;

  /** `copySql` is a `copy … from stdin with (format binary)` naming the columns rows write, in order. */
  constructor(private readonly client: Client, private readonly copySql: string, private readonly batchRows: number) {}

  /** Starts a row of `fields` values, written next with the methods below. */
  row(fields: number): this {
    if (this.bytes === 0) this.raw(HEADER);
    this.reserve(2);
    this.bytes = this.filling.writeInt16BE(fields, this.bytes);
    this.count++;
    return this;
  }

  text(value: string | null): this {
    if (value === null) return this.int32(-1);
    this.reserve(4 + value.length * 3);
    const length = this.filling.write(value, this.bytes + 4);
    this.filling.writeInt32BE(length, this.bytes);
    this.bytes += 4 + length;
    return this;
  }

  int4(value: number): this {
    return this.int32(4).int32(value);
  }

  /** A whole field, length included, encoded once (`textArrayField`). */
  raw(bytes: Buffer): this {
    this.reserve(bytes.length);
    this.bytes += bytes.copy(this.filling, this.bytes);
    return this;
  }

  /** Sends the rows gathered so far once there are a batch of them. */
  async sendFull(): Promise<void> {
    if (this.count >= this.batchRows || this.bytes >= BATCH_BYTES) await this.send();
  }

  /** Sends what is left and waits until every row has landed. */
  async flush(): Promise<void> {
    await this.send();
    await this.inFlight;
  }

  private int32(value: number): this {
    this.reserve(4);
    this.bytes = this.filling.writeInt32BE(value, this.bytes);
    return this;
  }

  private async send(): Promise<void> {
    await this.inFlight;
    if (this.count === 0) return;
    this.reserve(2);
    this.bytes = this.filling.writeUInt16BE(TRAILER, this.bytes);
    const batch = this.filling.subarray(0, this.bytes);
    [this.filling, this.spare] = [this.spare, this.filling];
    this.sent += this.count;
    this.bytes = 0;
    this.count = 0;
    const next = pipeline(Readable.from([batch]), this.client.query(copyFrom(this.copySql)));
    // Observed here so a failure never goes unhandled; it is thrown by the next send or flush.
    next.catch(() => undefined);
    this.inFlight = next;
  }

  private reserve(bytes: number): void {
    if (this.bytes + bytes <= this.filling.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.bytes + bytes, this.filling.length * 2));
    this.filling.copy(larger, 0, 0, this.bytes);
    this.filling = larger;
  }
}

const TEXT_OID = 25;

/** A text[] value as a binary COPY field: length, then dimensions, element type and elements. */
export function textArrayField(values: readonly string[]): Buffer {
  const elements = values.map((v) => Buffer.from(v, 'utf8'));
  const body = values.length === 0 ? 12 : 20 + elements.reduce((sum, e) => sum + 4 + e.length, 0);
  const field = Buffer.allocUnsafe(4 + body);
  let at = field.writeInt32BE(body, 0);
  at = field.writeInt32BE(values.length === 0 ? 0 : 1, at);
  at = field.writeInt32BE(0, at);
  at = field.writeInt32BE(TEXT_OID, at);
  if (values.length > 0) {
    at = field.writeInt32BE(values.length, at);
    at = field.writeInt32BE(1, at);
    for (const element of elements) {
      at = field.writeInt32BE(element.length, at);
      at += element.copy(field, at);
    }
  }
  return field;
}

/** A uuid as a binary COPY field. */
export function uuidField(uuid: string): Buffer {
  const field = Buffer.allocUnsafe(20);
  field.writeInt32BE(16, 0);
  Buffer.from(uuid.replace(/-/g, ''), 'hex').copy(field, 4);
  return field;
}
