import { STATUS_CODES } from 'node:http';

/** RFC 9457 problem details, plus our stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  const slug = code.toLowerCase().replace(/[._]/g, '-');
  return {
    type: `https://marquee.dev/problems/${slug}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}
