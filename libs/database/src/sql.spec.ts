import { pgArrayLiteral } from './sql';

describe('pgArrayLiteral', () => {
  it('is an empty array for no values', () => {
    expect(pgArrayLiteral([])).toBe('{}');
  });

  it('quotes every element, numbers and booleans as text', () => {
    expect(pgArrayLiteral(['GET', '/movies/42', 7, true])).toBe('{"GET","/movies/42","7","true"}');
  });

  it('escapes quotes and backslashes, keeping commas, braces and spaces inside the quotes', () => {
    expect(pgArrayLiteral(['a"b', 'c\\d', '{e, f}', ''])).toBe('{"a\\"b","c\\\\d","{e, f}",""}');
  });
});
