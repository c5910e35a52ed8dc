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
  invalidFields: problem(422, 'INVALID_FIELDS', 'owner_email must be an e-mail address'),
  missingColumn: problem(400, 'IMPORTS.MISSING_COLUMN', 'the CSV has no "year" column (header: title, genre)'),
  tooLarge: problem(413, 'IMPORTS.TOO_LARGE', 'the file is larger than the upload limit of 104857600 bytes'),
  notMultipart: problem(415, 'IMPORTS.NOT_MULTIPART', 'send the CSV as multipart/form-data with a "file" part and a "mode" field'),
  importNotFound: problem(404, 'IMPORTS.NOT_FOUND', 'no import with id 0b6f7e0e-4c3a-4a51-9d55-2f7d3c1e9a10'),
  csrf: problem(403, 'ADMIN.CSRF', "Send the x-csrf-token header (the marquee_csrf cookie's value) with every change made through the admin cookie."),
};
