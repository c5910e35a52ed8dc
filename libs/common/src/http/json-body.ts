import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors/domain-error';

/**
 * The JSON body parser of every service, in place of Fastify's (which Nest registers): the same
 * refusals, 400 before any route runs, each saying what is wrong. Fastify's says "Body is not
 * valid JSON" for a body that is valid JSON holding `__proto__`.
 */
export function registerJsonBody(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw badRequest('INVALID_JSON', 'Body is empty, but Content-Type says application/json: send a JSON value, or no Content-Type');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest('INVALID_JSON', `Body is not valid JSON: ${(error as Error).message}`);
  }
  // A key can only be spelt with these letters, or escaped: the walk is for bodies that may hold one.
  if (!/proto|constructor|\\u/.test(text)) return value;
  const path = forbiddenKeyPath(value);
  if (path === null) return value;
  const key = path.endsWith('.prototype') ? 'constructor.prototype' : '__proto__';
  throw badRequest('INVALID_JSON', `Body contains a forbidden key ${key}${path === key ? '' : ` (at ${path})`}`);
}

interface Step {
  key: string;
  inArray: boolean;
  parent: Step | null;
}

/**
 * Where the value holds `__proto__`, or `constructor` with a `prototype` inside: JSON.parse keeps
 * them as plain keys, but code that copies a body into an object would set or reach a prototype
 * through them (prototype pollution). Iterative, and the path is spelt out only when found: a
 * deeply nested body must neither overflow the stack nor cost a string per level.
 */
function forbiddenKeyPath(root: unknown): string | null {
  const pending: [unknown, Step | null][] = [[root, null]];
  while (pending.length > 0) {
    const [value, parent] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    const inArray = Array.isArray(value);
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      const step: Step = { key, inArray, parent };
      if (key === '__proto__') return spelt(step);
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        return `${spelt(step)}.prototype`;
      }
      pending.push([child, step]);
    }
  }
  return null;
}

function spelt(step: Step): string {
  const parts: string[] = [];
  for (let at: Step | null = step; at; at = at.parent) parts.push(at.inArray ? `[${at.key}]` : `.${at.key}`);
  const path = parts.reverse().join('').replace(/^\./, '');
  if (path.length <= MAX_PATH_SHOWN) return path;
  const tail = path.slice(-MAX_PATH_SHOWN);
  return `…${tail.slice(tail.search(/[.[]/)).replace(/^\./, '')}`;
}

const MAX_PATH_SHOWN = 120;
