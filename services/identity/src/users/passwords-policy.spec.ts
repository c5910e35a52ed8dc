import { passwordProblem } from './passwords-policy';

describe('passwordProblem', () => {
  it('accepts 10 characters up to 72 bytes', () => {
    expect(passwordProblem('a'.repeat(10))).toBeNull();
    expect(passwordProblem('a'.repeat(72))).toBeNull();
    expect(passwordProblem('é'.repeat(36))).toBeNull();
  });

  it('refuses fewer than 10 characters', () => {
    expect(passwordProblem('a'.repeat(9))).toBe('password must be at least 10 characters');
  });

  it('refuses what bcrypt would truncate, counting UTF-8 bytes rather than characters', () => {
    expect(passwordProblem('a'.repeat(73))).toContain('at most 72 bytes');
    expect(passwordProblem('é'.repeat(37))).toContain('at most 72 bytes');
    expect(passwordProblem('🎬'.repeat(19))).toContain('at most 72 bytes');
  });
});
