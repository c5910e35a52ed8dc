import { hasLoneSurrogate, trimInvisible } from './text';

describe('trimInvisible', () => {
  it('leaves nothing of a text made only of whitespace and invisible characters', () => {
    for (const blank of ['', '   ', '\t\n', '\u200b', '\u200b \u200d\ufeff', '\u00a0\u3164', '\u2060\u00ad']) {
      expect(trimInvisible(blank)).toBe('');
    }
  });

  it('trims both ends and keeps what is inside, emoji included', () => {
    expect(trimInvisible(' \u200bMy app\u200b ')).toBe('My app');
    expect(trimInvisible('a\u200bb')).toBe('a\u200bb');
    expect(trimInvisible(' 👩‍💻 dev ')).toBe('👩‍💻 dev');
  });

  it('takes linear time on a long run of spaces that is not at the end', () => {
    const started = Date.now();
    expect(trimInvisible(`${' '.repeat(200_000)}x${' '.repeat(200_000)}y`)).toBe(`x${' '.repeat(200_000)}y`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('hasLoneSurrogate', () => {
  it('finds half of a UTF-16 pair on its own, not a whole pair', () => {
    expect(hasLoneSurrogate('key \ud800')).toBe(true);
    expect(hasLoneSurrogate('\udc00 key')).toBe(true);
    expect(hasLoneSurrogate('key 😀')).toBe(false);
    expect(hasLoneSurrogate('plain')).toBe(false);
  });
});
