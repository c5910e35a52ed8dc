import { LineTracker } from './line-tracker';

describe('LineTracker', () => {
  it('numbers lines from 1 across chunk boundaries', () => {
    const text = 'title,year\nA,1\n"B\nB",2\nC,3\n';
    const sut = new LineTracker();
    for (const piece of ['tit', 'le,year\nA,', '1\n"B\n', 'B",2\nC,3\n']) sut.push(Buffer.from(piece));

    expect(sut.lineAt(0)).toBe(1);
    expect(sut.lineAt(text.indexOf('A,1'))).toBe(2);
    expect(sut.lineAt(text.indexOf('"B'))).toBe(3);
    expect(sut.lineAt(text.indexOf('C,3'))).toBe(5);
  });

  it('answers the same line when asked twice for one offset', () => {
    const sut = new LineTracker();
    sut.push(Buffer.from('a\nb\n'));

    expect(sut.lineAt(2)).toBe(2);
    expect(sut.lineAt(2)).toBe(2);
  });
});
