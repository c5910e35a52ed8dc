import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_EXAMPLES as P } from './examples';

/** One answer as an OpenAPI response: its example body (problem+json for errors). */
export function answerObject(status: number, description: string, example: unknown) {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return { description, content: { [type]: { example } } };
}

/** Documents one answer with its example body. */
export function Answer(status: number, description: string, example: unknown): MethodDecorator {
  return applyDecorators(ApiResponse({ status, ...answerObject(status, description, example) }));
}

/** What every call behind the API key guard may answer, besides its own answers. */
export const KEY_ANSWERS: readonly (readonly [status: number, description: string, example: unknown])[] = [
  [401, 'Missing, malformed, unknown or deleted key', P.missingKey],
  [403, 'Suspended or expired key', P.suspended],
  [429, 'Monthly quota spent, or per-minute rate limit hit (Retry-After)', P.rateLimited],
  [503, 'A backing service is unavailable', P.unavailable],
];

export function KeyAnswers(): MethodDecorator {
  return applyDecorators(...KEY_ANSWERS.map(([status, description, example]) => Answer(status, description, example)));
}

/** What every route taking a JSON body may answer before it runs (json-body.ts, json-only.ts). */
export function JsonBodyAnswers(): MethodDecorator {
  return applyDecorators(
    Answer(400, 'A body that is not JSON, or holds __proto__', P.invalidJson),
    Answer(415, 'A body that is not application/json', P.notJson),
  );
}
