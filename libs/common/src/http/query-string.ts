import { parse } from 'fast-querystring';

const MALFORMED = Symbol('malformed query parameters');

/**
 * Fastify's own query parser (fast-querystring), which keeps a value with a malformed
 * percent-escape (`%zz`, a cut UTF-8 sequence) as its literal text. This one also notes which
 * parameters held one, for the validation pipe to refuse by name. Only a query holding a `%`
 * is looked at twice; an empty one (GET /movies/{id}) costs nothing.
 */
export function parseQueryString(query: string): Record<string, unknown> {
  if (query.length === 0) return {};
  const parsed = parse(query);
  if (query.indexOf('%') === -1) return parsed;
  const malformed = malformedNames(query);
  if (malformed.length > 0) Object.defineProperty(parsed, MALFORMED, { value: malformed, enumerable: false });
  return parsed;
}

/** The parameters of a parsed query whose value was not valid percent-encoding, by name. */
export function malformedParameters(query: unknown): readonly string[] {
  return (typeof query === 'object' && query !== null && (query as { [MALFORMED]?: string[] })[MALFORMED]) || [];
}

function malformedNames(query: string): string[] {
  const names: string[] = [];
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.indexOf('%', equals) === -1) continue;
    const value = pair.slice(equals + 1).replace(/\+/g, ' ');
    if (decoded(value) !== null) continue;
    const key = pair.slice(0, equals).replace(/\+/g, ' ');
    names.push(decoded(key) ?? key);
  }
  return names;
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
