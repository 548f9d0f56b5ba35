/** Response schema of every error status: the shared RFC 9457 problem registered by createServer. */
export const problem = { $ref: 'Problem#' } as const;
