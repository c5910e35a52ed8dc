import { createHmac, timingSafeEqual } from 'node:crypto';

// Not the developer portal's marquee_csrf: someone signed in to both must not have one overwrite the other.
export const CSRF_COOKIE = 'marquee_admin_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Double-submit token bound to the session: an HMAC of the admin JWT. The portal reads it from
 * a cookie a cross-site page cannot read and echoes it in a header a cross-site form cannot send;
 * no server-side state, and a token stolen from one session is useless with another.
 */
export function csrfToken(secret: string, sessionToken: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

export function csrfMatches(secret: string, sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfToken(secret, sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
