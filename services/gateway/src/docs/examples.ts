import { problem } from '@marquee/common';

/** Example bodies shown in /docs, one per documented answer. */
export const MOVIE_EXAMPLE = {
  id: 42,
  title: 'The Matrix',
  year: 1999,
  genre: 'Action, Science Fiction',
  director: 'Lana Wachowski, Lilly Wachowski',
  actors: 'Keanu Reeves, Laurence Fishburne, Carrie-Anne Moss',
  plot: 'A hacker learns that the world he lives in is a simulation and joins the rebellion against its machine overlords.',
  poster_url: 'https://posters.marquee.dev/the-matrix-1999.jpg',
};

export const MOVIE_PAGE_EXAMPLE = {
  data: [MOVIE_EXAMPLE],
  meta: { page: 1, limit: 20, total: 1, total_pages: 1, total_estimated: false, next_cursor: null },
};

export const PROBLEM_EXAMPLES = {
  badParameter: problem(400, 'INVALID_PARAMETER', 'limit must be between 1 and 100'),
  badId: problem(400, 'INVALID_PARAMETER', 'id must be a positive integer; "abc" is not'),
  noCriteria: problem(400, 'SEARCH.NO_CRITERIA', 'give at least one of title, genre, year, year_from, year_to, director, actor'),
  missingKey: problem(401, 'API_KEY.MISSING', 'Send your API key in the X-API-KEY header.'),
  suspended: problem(403, 'API_KEY.SUSPENDED', 'This API key is suspended.'),
  notFound: problem(404, 'MOVIE.NOT_FOUND', 'no movie with id 999999'),
  rateLimited: problem(429, 'API_KEY.RATE_LIMITED', 'Too many requests this minute for this key. The limit is 60 per minute; retry in 17 s.'),
  unavailable: problem(503, 'SERVICE_UNAVAILABLE', 'A backing service is unavailable; retry shortly.'),
  unauthorized: problem(401, 'ADMIN.UNAUTHORIZED', 'Sign in as an admin: send the token as a Bearer header or the admin cookie.'),
  badCredentials: problem(401, 'ADMIN.INVALID_CREDENTIALS', 'Wrong username or password.'),
  throttled: problem(429, 'ADMIN.THROTTLED', 'Too many failed sign-ins; retry in 840 s.'),
  keyNotFound: problem(404, 'KEYS.NOT_FOUND', 'no API key with id 6f1c1f55-8a4e-4e0e-9f5e-0b9e2a1d7c11'),
  keyLimit: problem(409, 'KEYS.LIMIT_REACHED', 'dev@gmail.com already has 5 keys; the free plan allows 5'),
  planKeyLimit: problem(409, 'KEYS.LIMIT_REACHED', 'dev@gmail.com has 6 keys; the free plan allows 5, so this key cannot move to it'),
  invalidFields: problem(422, 'INVALID_FIELDS', 'owner_email must be an e-mail address'),
  missingColumn: problem(400, 'IMPORTS.MISSING_COLUMN', 'the CSV has no "year" column (header: title, genre)'),
  tooLarge: problem(413, 'IMPORTS.TOO_LARGE', 'the file is larger than the upload limit of 104857600 bytes'),
  invalidJson: problem(400, 'INVALID_JSON', 'Body is not valid JSON: Unexpected end of JSON input'),
  notJson: problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json; this body is application/x-www-form-urlencoded'),
  notMultipart: problem(415, 'IMPORTS.NOT_MULTIPART', 'send the CSV as multipart/form-data with a "file" part and a "mode" field'),
  importNotFound: problem(404, 'IMPORTS.NOT_FOUND', 'no import with id 0b6f7e0e-4c3a-4a51-9d55-2f7d3c1e9a10'),
  csrf: problem(403, 'ADMIN.CSRF', "Send the x-csrf-token header (the marquee_admin_csrf cookie's value) with every change made through the admin cookie."),
};

const USER_ID = '0b7f3c1e-5d2a-4c8e-9f61-2a4b6c8d0e13';
const DEVELOPER_KEY = {
  id: '6f1c1f55-8a4e-4e0e-9f5e-0b9e2a1d7c11', name: 'Default key', prefix: '3b9d2c4e', owner_id: USER_ID, owner_email: 'ada@gmail.com',
  plan: 'free', status: 'active', usage_count: 112, quota: 1000, rate_limit_per_minute: 60, usage_resets_at: '2026-12-01T00:00:00.000Z',
  created_at: '2026-11-02T09:14:00.000Z', expires_at: null, last_used_at: '2026-11-21T18:03:11.000Z',
};

/** Example bodies of the developer endpoints (/auth, /me) and the admin's user list. */
export const DEVELOPER_EXAMPLES = {
  signup: { id: USER_ID, email: 'ada@gmail.com', verified: false },
  verified: {
    id: USER_ID, name: 'Ada Lovelace', email: 'ada@gmail.com', verified: true, created_at: '2026-11-02T09:12:00.000Z',
    api_key: { ...DEVELOPER_KEY, usage_count: 0, last_used_at: null, key: '3b9d2c4e-7f1a-4c2b-9e8d-5a6b7c8d9e0f' },
  },
  resend: { status: 'accepted', detail: 'If this address has an account waiting for verification, a new link is on its way.' },
  tokens: {
    access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…', refresh_token: 'p0Q2kq3Yl1v3kD8WfR0m1yXz8c5r2hJm0xT9gq7uN4s',
    token_type: 'Bearer', expires_in: 900, refresh_expires_in: 2592000,
  },
  profile: { id: USER_ID, name: 'Ada Lovelace', email: 'ada@gmail.com', verified: true, created_at: '2026-11-02T09:12:00.000Z' },
  key: DEVELOPER_KEY,
  keys: [DEVELOPER_KEY],
  createdKey: { ...DEVELOPER_KEY, id: 'a1981725-72a2-448e-9c9c-2ac1b3820ab1', name: 'Staging', prefix: 'be4b24e8', usage_count: 0, last_used_at: null, key: 'be4b24e8-1c2d-4e5f-8a9b-0c1d2e3f4a5b' },
  usage: {
    bucket: 'day', from: '2026-11-20', to: '2026-11-21',
    data: [{ date: '2026-11-20', requests: 40, errors: 2 }, { date: '2026-11-21', requests: 72, errors: 0 }],
  },
  logs: {
    data: [{
      timestamp: '2026-11-21T18:03:11.000Z', key_id: DEVELOPER_KEY.id, key_prefix: '3b9d2c4e', key_name: 'Default key',
      method: 'GET', endpoint: '/movies', status: 200, latency_ms: 3.4,
    }],
    meta: { page: 1, limit: 20, total: 1, total_pages: 1, total_estimated: false },
  },
  stats: {
    days: 30, from: '2026-10-22T18:05:00.000Z', to: '2026-11-21T18:05:00.000Z',
    totals: { requests: 112, errors: 2, p95_latency_ms: 8.1 },
    keys: [{ key_id: DEVELOPER_KEY.id, name: 'Default key', prefix: '3b9d2c4e', requests: 112, errors: 2, p95_latency_ms: 8.1 }],
  },
  users: {
    data: [{ id: USER_ID, name: 'Ada Lovelace', email: 'ada@gmail.com', verified: true, created_at: '2026-11-02T09:12:00.000Z', key_count: 2 }],
    meta: { page: 1, limit: 20, total: 1, total_pages: 1 },
  },
};

export const DEVELOPER_PROBLEMS = {
  disposableDomain: problem(400, 'IDENTITY.DISPOSABLE_DOMAIN', 'mailinator.com is a disposable e-mail service; sign up with a permanent address.'),
  emailTaken: problem(409, 'IDENTITY.EMAIL_TAKEN', 'An account with this e-mail address already exists; sign in instead.'),
  invalidSignup: problem(422, 'INVALID_FIELDS', 'email must be an e-mail address; password must be at least 10 characters'),
  invalidEmail: problem(422, 'INVALID_FIELDS', 'email must be an e-mail address'),
  tokenExpired: problem(400, 'AUTH.TOKEN_EXPIRED', 'This verification link has expired. Ask for a new one below.'),
  developerBadCredentials: problem(401, 'AUTH.INVALID_CREDENTIALS', 'Wrong e-mail address or password.'),
  notVerified: problem(403, 'AUTH.NOT_VERIFIED', 'Confirm your e-mail address first: follow the link we sent you, or ask for a new one.'),
  developerThrottled: problem(429, 'AUTH.THROTTLED', 'Too many failed sign-ins; retry in 840 s.'),
  refreshReused: problem(401, 'AUTH.REFRESH_REUSED', 'This refresh token was already used, so this sign-in has been ended everywhere; sign in again.'),
  developerUnauthorized: problem(401, 'DEVELOPER.UNAUTHORIZED', 'Sign in: send your access token as a Bearer header (POST /auth/login).'),
  csrf: problem(403, 'CSRF.INVALID', 'The form has expired or did not come from this site; reload the page and try again.'),
  ownKeyNotFound: problem(404, 'KEYS.NOT_FOUND', 'you have no API key with id 6f1c1f55-8a4e-4e0e-9f5e-0b9e2a1d7c11'),
  badDays: problem(400, 'INVALID_PARAMETER', 'days must be between 1 and 365'),
};
