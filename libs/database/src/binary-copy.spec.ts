import { BinaryCopyWriter } from './binary-copy';

/** The fields of a one-row COPY: after the 19-byte header and the row's 2-byte field count, up to the 2-byte trailer. */
function fieldsOf(copy: Buffer): Buffer {
  return copy.subarray(19 + 2, copy.length - 2);
}

describe('BinaryCopyWriter', () => {
  it('frames rows with the PGCOPY header, a field count per row and the -1 trailer', () => {
    const copy = new BinaryCopyWriter(8).row(1).int4(7).take();

    expect(copy.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(copy.readInt16BE(19)).toBe(1);
    expect(copy.readInt16BE(copy.length - 2)).toBe(-1);
  });

  it('writes a uuid in either case as its 16 bytes', () => {
    const id = '0192f3a4-5b6c-7d8e-9fa0-b1c2d3e4f5a6';
    const lower = fieldsOf(new BinaryCopyWriter().row(1).uuid(id).take());
    const upper = fieldsOf(new BinaryCopyWriter().row(1).uuid(id.toUpperCase()).take());

    expect(lower.readInt32BE(0)).toBe(16);
    expect(lower.subarray(4).toString('hex')).toBe(id.replaceAll('-', ''));
    expect(upper).toEqual(lower);
  });

  it('writes text as UTF-8 bytes, ASCII or not, and null as length -1', () => {
    const fields = fieldsOf(new BinaryCopyWriter().row(3).text('/v1/movies').text('Amélie ✓').text(null).take());

    expect(fields.readInt32BE(0)).toBe(10);
    expect(fields.subarray(4, 14).toString()).toBe('/v1/movies');
    const length = fields.readInt32BE(14);
    expect(fields.subarray(18, 18 + length).toString()).toBe('Amélie ✓');
    expect(fields.readInt32BE(18 + length)).toBe(-1);
  });

  it('writes a timestamptz as microseconds since 2000, before and after it', () => {
    for (const iso of ['2026-11-30T16:09:30.123Z', '1999-12-31T23:59:59.999Z', '1969-07-20T20:17:40Z']) {
      const fields = fieldsOf(new BinaryCopyWriter().row(1).timestamptz(Date.parse(iso)).take());
      expect(fields.readInt32BE(0)).toBe(8);
      expect(fields.readBigInt64BE(4)).toBe(BigInt(Date.parse(iso) - Date.UTC(2000, 0, 1)) * 1000n);
    }
  });

  it('grows its buffer as rows need and starts over after take', () => {
    const writer = new BinaryCopyWriter(16);
    for (let i = 0; i < 1000; i += 1) writer.row(2).int4(i).text(`row ${i}`);
    expect(writer.rows).toBe(1000);

    const copy = writer.take();
    expect(copy.readInt16BE(copy.length - 2)).toBe(-1);
    expect(writer.rows).toBe(0);
    expect(writer.length).toBe(0);
  });
});
