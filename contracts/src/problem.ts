/** RFC 9457 problem details, the body of every error response (`application/problem+json`). */
import { Type, type Static } from 'typebox';

/** The problem+json body: a stable `code`, and the failing fields for validation errors. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI reference identifying the problem type' }),
    title: Type.String({ description: 'A short summary of the problem type' }),
    status: Type.Integer({ description: 'The HTTP status code' }),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.Optional(
      Type.String({ description: 'What went wrong with this request, readable by a person' }),
    ),
    instance: Type.Optional(Type.String({ description: 'The path of the request' })),
    requestId: Type.Optional(Type.String({ description: 'The request id (also in `X-Request-Id`)' })),
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          {
            field: Type.String({
              description:
                'JSON pointer (RFC 6901) to the failing field within the part of the request named by `in`; `` (empty) is the whole part',
              examples: ['/lines/0/unitCode'],
            }),
            in: Type.Union(
              [Type.Literal('body'), Type.Literal('query'), Type.Literal('path'), Type.Literal('header')],
              { description: 'The part of the request the field is in (header names are lower case)' },
            ),
            message: Type.String({ description: 'Why the value was refused, readable by a person' }),
            code: Type.Optional(
              Type.String({ description: 'A more specific stable code, when there is one' }),
            ),
          },
          { title: 'FieldError' },
        ),
      ),
    ),
  },
  { $id: 'Problem', title: 'Problem' },
);
export type Problem = Static<typeof ProblemSchema>;
