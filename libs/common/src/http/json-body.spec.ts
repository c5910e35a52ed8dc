import { parseJsonBody } from './json-body';

describe('parseJsonBody', () => {
  it('parses JSON, keeping words that merely look like the forbidden keys', () => {
    expect(parseJsonBody('{"name":"proto","note":"constructor","constructor":"Ada","x":"\\u00e9"}'))
      .toEqual({ name: 'proto', note: 'constructor', constructor: 'Ada', x: 'é' });
    expect(parseJsonBody('[1, "a"]')).toEqual([1, 'a']);
  });

  it.each([
    ['{"__proto__":{"admin":true}}', 'Body contains a forbidden key __proto__'],
    ['{"\\u005f_proto__":{}}', 'Body contains a forbidden key __proto__'],
    ['{"owner":{"__proto__":{}}}', 'Body contains a forbidden key __proto__ (at owner.__proto__)'],
    ['[{"a":1},{"__proto__":null}]', 'Body contains a forbidden key __proto__ (at [1].__proto__)'],
    ['{"constructor":{"prototype":{"admin":true}}}', 'Body contains a forbidden key constructor.prototype'],
    ['{"a":{"constructor":{"prototype":{}}}}', 'Body contains a forbidden key constructor.prototype (at a.constructor.prototype)'],
  ])('refuses %s with 400: %s', (body, detail) => {
    expect(() => parseJsonBody(body)).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_JSON', message: detail }));
  });

  it('says what is wrong with a body that is not JSON, or empty', () => {
    expect(() => parseJsonBody('{"email":')).toThrow(expect.objectContaining({ status: 400, message: expect.stringMatching(/^Body is not valid JSON: .+/) }));
    expect(() => parseJsonBody('  ')).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining('Body is empty') }));
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}{"__proto__":1}${']'.repeat(100_000)}`;
    expect(() => parseJsonBody(deep)).toThrow(expect.objectContaining({
      status: 400, message: expect.stringMatching(/^Body contains a forbidden key __proto__ \(at …(\[0\])+\.__proto__\)$/),
    }));
    try {
      parseJsonBody(deep);
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });
});
