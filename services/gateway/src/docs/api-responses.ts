import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** Documents one answer with its example body (problem+json for errors). */
export function Answer(status: number, description: string, example: unknown): MethodDecorator {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return applyDecorators(ApiResponse({ status, description, content: { [type]: { example } } }));
}
