/**
 * Idempotency-Key on sign-up, through platform-http's mechanism, minus one thing: the password.
 *
 * The platform fingerprints a request with an unsalted SHA-256 of its body and keeps it beside the
 * key. Every other field of a sign-up body (organization name, name, email) is stored in this schema,
 * so that fingerprint would be a fast hash of the password next to its slow argon2id one: anyone
 * reading the database could guess passwords at SHA-256 speed. The password is therefore left out of
 * the fingerprint. For the same reason a weak password is refused before the key is taken, so a
 * retry with a better password (and the same key) is not answered with the stored 400.
 */
import type { SignupRequest } from '@invoice/contracts';
import type { registerIdempotency } from '@invoice/platform-http';
import { rejectWeakPassword } from '../application/signup.ts';

type IdempotencyPreHandler = ReturnType<typeof registerIdempotency>;

/** The preHandler for POST /v1/auth/signup wrapping the platform's `idempotent` one. */
export function signupIdempotency(idempotent: IdempotencyPreHandler): IdempotencyPreHandler {
  return async (request, reply) => {
    const body = request.body as SignupRequest;
    rejectWeakPassword(body.password);
    request.body = { ...body, password: undefined };
    try {
      return await idempotent(request, reply);
    } finally {
      request.body = body;
    }
  };
}
