// COPY's binary format: signature, flags, header extension length; a field count of -1 ends it.
const HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const TRAILER = 0xffff;
/** timestamptz travels as microseconds since 2000-01-01 UTC. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
/** The value of each hex digit by character code. */
const HEX = new Uint8Array(128);
for (let d = 0; d < 16; d += 1) HEX['0123456789abcdef'.charCodeAt(d)] = HEX['0123456789ABCDEF'.charCodeAt(d)] = d;

/**
 * Rows in COPY's binary format (`copy … from stdin with (format binary)`), written field by field
 * into one growing buffer. PostgreSQL reads binary fields with no parsing at all: no array
 * literals, no number or timestamp text. `rows` counts the rows begun; `take()` hands back the
 * finished bytes and starts over, keeping the buffer for the next batch.
 */
export class BinaryCopyWriter {
  private buffer: Buffer;
  private bytes = 0;
  private count = 0;

  constructor(initialBytes = 64 << 10) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Rows begun since the last `take`. */
  get rows(): number {
    return this.count;
  }

  /** Bytes written so far, header included. */
  get length(): number {
    return this.bytes;
  }

  /** Starts a row of `fields` values, written next with the methods below, in column order. */
  row(fields: number): this {
    if (this.bytes === 0) this.raw(HEADER);
    this.count += 1;
    return this.int16(fields);
  }

  text(value: string | null): this {
    if (value === null) return this.int32(-1);
    this.reserve(4 + value.length * 3);
    const start = this.bytes + 4;
    let length = value.length <= SHORT_TEXT ? asciiInto(this.buffer, value, start) : -1;
    if (length < 0) length = this.buffer.write(value, start);
    this.buffer.writeInt32BE(length, this.bytes);
    this.bytes = start + length;
    return this;
  }

  /** A uuid given as its canonical 36-character text (validated: every other character a hex digit). */
  uuid(value: string): this {
    this.int32(16).reserve(16);
    this.bytes = uuidInto(this.buffer, value, this.bytes);
    return this;
  }

  int2(value: number): this {
    return this.int32(2).int16(value);
  }

  int4(value: number): this {
    return this.int32(4).int32(value);
  }

  float4(value: number): this {
    this.int32(4).reserve(4);
    this.bytes = this.buffer.writeFloatBE(value, this.bytes);
    return this;
  }

  bool(value: boolean): this {
    this.int32(1).reserve(1);
    this.bytes = this.buffer.writeUInt8(value ? 1 : 0, this.bytes);
    return this;
  }

  /** A timestamptz from epoch milliseconds (whole microseconds kept). */
  timestamptz(epochMs: number): this {
    // Exact as a double until the year 287,000; two halves instead of a BigInt per value.
    const micros = Math.round((epochMs - PG_EPOCH_MS) * 1000);
    const high = Math.floor(micros / 2 ** 32);
    this.int32(8).int32(high);
    this.reserve(4);
    this.bytes = this.buffer.writeUInt32BE(micros - high * 2 ** 32, this.bytes);
    return this;
  }

  /** A whole field, length included, encoded once (see textArrayField). */
  raw(bytes: Buffer): this {
    this.reserve(bytes.length);
    this.bytes += bytes.copy(this.buffer, this.bytes);
    return this;
  }

  /**
   * The rows written so far with COPY's trailer, and a fresh start. The bytes returned share
   * this writer's memory: send them before writing the next row.
   */
  take(): Buffer {
    if (this.bytes === 0) this.raw(HEADER);
    this.int16(TRAILER);
    const out = this.buffer.subarray(0, this.bytes);
    this.bytes = 0;
    this.count = 0;
    return out;
  }

  private int16(value: number): this {
    this.reserve(2);
    this.bytes = this.buffer.writeUInt16BE(value & 0xffff, this.bytes);
    return this;
  }

  private int32(value: number): this {
    this.reserve(4);
    this.bytes = this.buffer.writeInt32BE(value, this.bytes);
    return this;
  }

  private reserve(bytes: number): void {
    if (this.bytes + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.bytes + bytes, this.buffer.length * 2));
    this.buffer.copy(larger, 0, 0, this.bytes);
    this.buffer = larger;
  }
}

/** Up to this length a string is copied by hand when it is ASCII, cheaper than a call into C++. */
const SHORT_TEXT = 64;

/** Writes `value` at `at` when every character is ASCII and returns its length; -1 otherwise. */
function asciiInto(out: Buffer, value: string, at: number): number {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c > 0x7f) return -1;
    out[at + i] = c;
  }
  return value.length;
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

/** A uuid as a binary COPY field, to write with `raw` (a value every row repeats). */
export function uuidField(uuid: string): Buffer {
  const field = Buffer.allocUnsafe(20);
  uuidInto(field, uuid, field.writeInt32BE(16, 0));
  return field;
}

/** The 16 bytes of a canonical uuid written at `at`; returns where they end. */
function uuidInto(out: Buffer, value: string, at: number): number {
  // Two hex digits a byte, by table: a fifth of the time of slicing out the dashes and decoding.
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) i += 1;
    out[at++] = (HEX[value.charCodeAt(i)] << 4) | HEX[value.charCodeAt(i + 1)];
  }
  return at;
}
