import { DomainError } from '@marquee/common';
import { PASSWORD_RULES } from '@marquee/contracts';

/** The reason a password is refused, or null. The gateway checks the same rules first (422 per field). */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_RULES.minChars) return `password must be at least ${PASSWORD_RULES.minChars} characters`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_RULES.maxBytes) {
    return `password must be at most ${PASSWORD_RULES.maxBytes} bytes in UTF-8 (bcrypt ignores anything longer)`;
  }
  return null;
}

export function assertAcceptablePassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new DomainError('INVALID_FIELDS', 422, problem);
}
