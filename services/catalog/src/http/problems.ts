/** Problem responses the platform's closed ErrorCodes cannot express yet. */
import type { Problem } from '@invoice/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * 409 `SKU_TAKEN`, shaped exactly like the platform's problem+json. Replace with
 * `AppError.field('SKU_TAKEN', '/sku', …)` once contracts' ErrorCodes has the code.
 */
export function sendSkuTaken(reply: FastifyReply, request: FastifyRequest): FastifyReply {
  const problem: Problem = {
    type: 'https://docs.invoice.local/errors/sku-taken',
    title: 'A product with this SKU already exists',
    status: 409,
    code: 'SKU_TAKEN',
    detail: 'Another product of the organization uses this SKU',
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
    errors: [{ field: '/sku', message: 'is already used by another product' }],
  };
  return reply.status(409).type('application/problem+json').send(problem);
}
