import { malformedParameters, parseQueryString } from './query-string';

describe('parseQueryString', () => {
  it('parses as Fastify does, keeping a malformed value as its text', () => {
    const sut = parseQueryString('title=%E0%A4%A&year=1999&actor=al+pacino&genre=drama%20x');
    expect({ ...sut }).toEqual({ title: '%E0%A4%A', year: '1999', actor: 'al pacino', genre: 'drama x' });
  });

  it.each([
    ['title=%E0%A4%A', ['title']],
    ['title=%zz', ['title']],
    ['page=2&title=abc%', ['title']],
    ['title=%FF&director=%C3%28&year=1', ['title', 'director']],
    ['my%20title=%zz', ['my title']],
    ['ti%zztle=%zz', ['ti%zztle']],
  ])('names the parameters of %s whose value is not valid percent-encoding', (query, names) => {
    expect(malformedParameters(parseQueryString(query))).toEqual(names);
  });

  it.each(['title=%25', 'title=%E0%A4%A4', 'title=caf%C3%A9&limit=5', 'title=a+b', 'ti%zztle=x', 'title', ''])(
    'finds nothing wrong in %p', (query) => {
      expect(malformedParameters(parseQueryString(query))).toEqual([]);
    });

  it('keeps the note off the parameters themselves', () => {
    const sut = parseQueryString('title=%zz');
    expect(Object.keys(sut)).toEqual(['title']);
    expect(JSON.stringify(sut)).toBe('{"title":"%zz"}');
  });
});
