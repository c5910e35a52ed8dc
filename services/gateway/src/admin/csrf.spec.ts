import { csrfMatches, csrfToken } from './csrf';

describe('csrfToken', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';

  it('accepts the token of the same session only', () => {
    const token = csrfToken(secret, 'session-a');
    expect(csrfMatches(secret, 'session-a', token)).toBe(true);
    expect(csrfMatches(secret, 'session-b', token)).toBe(false);
    expect(csrfMatches('another-secret-of-thirty-two-characters!', 'session-a', token)).toBe(false);
  });

  it('refuses a missing or truncated token', () => {
    const token = csrfToken(secret, 'session-a');
    expect(csrfMatches(secret, 'session-a', undefined)).toBe(false);
    expect(csrfMatches(secret, 'session-a', token.slice(1))).toBe(false);
  });
});
