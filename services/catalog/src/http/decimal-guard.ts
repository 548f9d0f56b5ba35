import { AppError } from '@invoice/contracts';
import type { FastifyRequest } from 'fastify';

/**
 * Refuses JSON numbers where a decimal string is required. The platform's validator coerces types,
 * so `12.5` would pass as "12.5", and a number with more digits than a double holds would be
 * rounded before anyone sees it (1234567890123.123456 arrives as "1234567890123.1235").
 * Runs as a preValidation hook, before that coercion.
 */
export function requireDecimalStrings(fields: readonly string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const body = request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return;
    const errors = fields
      .filter((field) => typeof (body as Record<string, unknown>)[field] === 'number')
      .map((field) => ({
        field: `/${field}`,
        message: 'must be a decimal string such as "12.50", not a JSON number',
      }));
    if (errors.length > 0)
      throw new AppError('VALIDATION_FAILED', { detail: 'The body is not valid', errors });
  };
}
