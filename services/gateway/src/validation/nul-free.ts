/**
 * No text field may hold a NUL: PostgreSQL text cannot store one (the query fails, a 500), and
 * bcrypt reads a password as a C string, ignoring whatever follows it. Checked on what validation
 * kept, by the JSON pipe and the portal's forms alike.
 */
export function pathWithNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = pathWithNul(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

export const nulMessage = (field: string) => `${field} must not contain a NUL character`;
