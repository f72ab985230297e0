// How the API answers when a request cannot be served: always JSON, always with a `message`
// a person can act on, never with internals (those go to the log).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { InvalidCursorError } from '../storage/keyset-cursor.ts';
import type { ErrorBody } from './schemas.ts';

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = describe(error);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(body.status).send(body.error);
  });
}

/** Fallback for paths no route matches (the web UI's SPA fallback comes before this). */
export function sendNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body: ErrorBody = {
    error: 'not_found',
    message: `no route for ${request.method} ${request.url.split('?')[0]}`,
  };
  return reply.code(404).send(body);
}

function describe(error: FastifyError): { status: number; error: ErrorBody } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const [issue] = error.validation;
    const field = issue?.instancePath.split('/').filter(Boolean).join('.') ?? '';
    return {
      status: 400,
      error: {
        error: 'bad_request',
        ...(field !== '' && { field }),
        message: issue?.message ?? 'invalid request',
      },
    };
  }
  if (error instanceof InvalidCursorError) {
    return {
      status: 400,
      error: { error: 'bad_request', field: 'cursor', message: error.message },
    };
  }
  if (error instanceof NotFoundError) {
    return { status: 404, error: { error: 'not_found', message: error.message } };
  }
  // Fastify's own client errors (malformed JSON, unsupported media type, payload too large...).
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, error: { error: 'bad_request', message: error.message } };
  }
  return { status: 500, error: { error: 'internal_error', message: 'internal server error' } };
}
