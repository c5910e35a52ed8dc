import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BinaryCopyWriter } from '@marquee/database';

/** A batch is sent at this many rows or bytes, whichever comes first. */
const BATCH_BYTES = 4 << 20;

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
  private filling = new BinaryCopyWriter();
  private spare = new BinaryCopyWriter();
  private inFlight: Promise<void> = Promise.resolve();
  /** Rows handed to PostgreSQL so far. */
  sent = 0;

  /** `copySql` is a `copy … from stdin with (format binary)` naming the columns rows write, in order. */
  constructor(private readonly client: Client, private readonly copySql: string, private readonly batchRows: number) {}

  /** Starts a row of `fields` values, written next with the methods below. */
  row(fields: number): this {
    this.filling.row(fields);
    return this;
  }

  text(value: string | null): this {
    this.filling.text(value);
    return this;
  }

  int4(value: number): this {
    this.filling.int4(value);
    return this;
  }

  /** A whole field, length included, encoded once (`textArrayField`). */
  raw(bytes: Buffer): this {
    this.filling.raw(bytes);
    return this;
  }

  /** Sends the rows gathered so far once there are a batch of them. */
  async sendFull(): Promise<void> {
    if (this.filling.rows >= this.batchRows || this.filling.length >= BATCH_BYTES) await this.send();
  }

  /** Sends what is left and waits until every row has landed. */
  async flush(): Promise<void> {
    await this.send();
    await this.inFlight;
  }

  private async send(): Promise<void> {
    await this.inFlight;
    if (this.filling.rows === 0) return;
    this.sent += this.filling.rows;
    const batch = this.filling.take();
    [this.filling, this.spare] = [this.spare, this.filling];
    const next = pipeline(Readable.from([batch]), this.client.query(copyFrom(this.copySql)));
    // Observed here so a failure never goes unhandled; it is thrown by the next send or flush.
    next.catch(() => undefined);
    this.inFlight = next;
  }
}
