import { csvCell, csvLine } from './csv-writer';

describe('csvCell', () => {
  it.each(['=1+1', '+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'])('neutralises %j so a spreadsheet shows it as text', (value) => {
    expect(csvCell(value).replace(/^"|"$/g, '')).toMatch(/^'/);
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('leaves numbers, plain text and empty values alone', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('The Matrix')).toBe('The Matrix');
    expect(csvCell(null)).toBe('');
  });
});

describe('csvLine', () => {
  it('ends every line with CRLF', () => {
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
});
