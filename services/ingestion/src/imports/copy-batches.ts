import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A batch is sent at this many rows or bytes, whichever comes first. */
const BATCH_BYTES = 4 << 20;

/**
 * Rows gathered into COPY statements on one connection. A batch is sent while the caller
 * parses the next one (PostgreSQL and the parser then share the two cores), after the previous
 * batch has landed: one batch in flight at most, so memory stays bounded. Rows are encoded into
 * two buffers used in turn, one filling while the other is sent: row strings then die young,
 * where a batch held as one long string survived into the old generation and garbage
 * collection took a third of the import's time.
 */
export class CopyBatches {
  private filling = Buffer.allocUnsafe(BATCH_BYTES + (64 << 10));
  private spare = Buffer.allocUnsafe(BATCH_BYTES + (64 << 10));
  private bytes = 0;
  private count = 0;
  private inFlight: Promise<void> = Promise.resolve();
  /** Rows handed to PostgreSQL so far. */
  sent = 0;

  constructor(private readonly client: Client, private readonly copySql: string, private readonly batchRows: number) {}

  /** One row's fields in COPY's csv format, without the line end. */
  add(row: string): void {
    const room = row.length * 3 + 1;
    if (this.bytes + room > this.filling.length) this.grow(this.bytes + room);
    this.bytes += this.filling.write(row, this.bytes);
    this.filling[this.bytes++] = 0x0a;
    this.count++;
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

  private async send(): Promise<void> {
    await this.inFlight;
    if (this.count === 0) return;
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

  /** Room for rows far longer than usual (a 5,000-character plot). */
  private grow(needed: number): void {
    const larger = Buffer.allocUnsafe(Math.max(needed, this.filling.length * 2));
    this.filling.copy(larger, 0, 0, this.bytes);
    this.filling = larger;
  }
}
