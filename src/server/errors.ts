// The API's errors: typed, and mapped to a status code and a JSON body in one place (the error
// handler below). No stack trace, SQL or internal message ever reaches a response: an unexpected
// error is logged and answered with a plain 500.
import type { FastifyError, FastifyInstance } from 'fastify';

export class ApiError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string) => new ApiError(400, 'bad_request', message);
export const unauthorized = (message = 'a token is required: Authorization: Bearer <token>') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);
export const unavailable = (message: string) => new ApiError(503, 'unavailable', message);

/** The body of every error response (also the OpenAPI schema `Error`). */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send({ error: err.code, message: err.message });
    if ((err as FastifyError).validation) {
      // Ajv's message names the field: "body/collected must be >= 0".
      return reply.code(400).send({ error: 'bad_request', message: err.message });
    }
    const status = (err as FastifyError).statusCode;
    // Fastify's own client errors (body too large, bad JSON, rate limit, unsupported media type)
    // carry a safe message and a 4xx status.
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: status === 429 ? 'rate_limited' : (err as FastifyError).code?.toLowerCase() ?? 'bad_request', message: err.message });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error (see the service log)' });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }));
}
