/** RFC 9457 problem details, the body of every error response (`application/problem+json`). */
import { Type, type Static } from 'typebox';

/** The problem+json body: a stable `code`, and the failing fields for validation errors. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI reference identifying the problem type' }),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({ description: 'JSON pointer to the failing field' }),
          message: Type.String(),
          code: Type.Optional(Type.String()),
        }),
      ),
    ),
  },
  { $id: 'Problem', title: 'Problem' },
);
export type Problem = Static<typeof ProblemSchema>;
