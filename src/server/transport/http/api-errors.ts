/**
 * The HTTP API's error answers: every error is `{ "error": { "code": CODE, "message": TEXT } }`
 * with a code from the one catalog (src/core/errors.ts), and fastify's own errors (bad JSON,
 * schema validation, wrong media type, body too large) are mapped onto that shape with a message
 * that names the offending field.
 *
 * Invariants: messages never echo request values (a token or key typed into the wrong field stays
 * out of the answer); unexpected errors become 500 API_INTERNAL and are logged, their text is not
 * sent.
 */
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifySchemaValidationError } from 'fastify';
import { ErrorCatalog, type ErrorCode } from '../../../core/errors.js';
import type { Logger } from '../../observability/logger.js';
import { FORBIDDEN_JSON_KEY } from './json-body-parser.js';

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string };
}

export function errorBody(code: ErrorCode, message: string = ErrorCatalog[code].text): ApiErrorBody {
  return { error: { code, message } };
}

export function sendError(reply: FastifyReply, status: number, code: ErrorCode, message?: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message));
}

/** Maps any error thrown in an API route (or by fastify before it) to the API's error shape. */
export function handleApiError(error: FastifyError, reply: FastifyReply, log: Logger): FastifyReply {
  if (error.validation && error.validation.length > 0) {
    return sendError(reply, 400, 'API_INVALID_REQUEST', describeValidation(error.validation[0]!, error.validationContext ?? 'body'));
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendError(reply, 400, 'API_BAD_JSON');
    case FORBIDDEN_JSON_KEY:
      return sendError(reply, 400, 'API_BAD_JSON', 'the request body has a "__proto__" key or a "constructor" with a "prototype", which the API refuses');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 400, 'API_BAD_JSON', 'the request body is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 415, 'API_UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 413, 'API_BODY_TOO_LARGE');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, error.statusCode, 'API_INVALID_REQUEST', 'the request is invalid');
  }
  log.error({ event: 'api-error', code: error.code, message: error.message });
  return sendError(reply, 500, 'API_INTERNAL');
}

/**
 * fastify's router errors, which happen before any route (and before authentication): a path with
 * a malformed percent-escape, or a path parameter over fastify's length limit. Answered in the
 * API's error shape instead of fastify's own (which also echoed the path back).
 */
export function handleFrameworkError(error: FastifyError, reply: FastifyReply): FastifyReply {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, 414, 'API_INVALID_REQUEST', 'a part of the request path is too long');
  return sendError(reply, 400, 'API_INVALID_REQUEST', 'the request path is not a valid URL');
}

/**
 * Requests Node's HTTP parser refused before fastify saw them (headers over Node's 16 KiB, a
 * request not in by `--http-request-timeout`, bytes that are not HTTP): answered in the API's
 * error shape, then the connection is closed, since its stream can no longer be trusted.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return void socket.destroy();
  const [status, label, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'the request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request was not received in time']
        : [400, 'Bad Request', 'the request is not valid HTTP'];
  const body = JSON.stringify(errorBody('API_INVALID_REQUEST', message));
  if (!socket.writable) return void socket.destroy();
  socket.write(
    `HTTP/1.1 ${status} ${label}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/** One validation error as a sentence that names the field, e.g. `unknown field "colour"`. */
export function describeValidation(error: FastifySchemaValidationError, context: string): string {
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const where = context === 'body' ? 'body' : context;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown field "${String(error.params['additionalProperty'])}" in the ${where}`;
    case 'required':
      return `missing field "${String(error.params['missingProperty'])}" in the ${where}`;
    case 'type':
      return field === '' ? `the ${where} must be a JSON ${String(error.params['type'])}` : `field "${field}" must be of type ${String(error.params['type'])}`;
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
      return `field "${field}" is out of range: it ${error.message ?? 'is invalid'}`;
    default:
      return field === '' ? `the ${where} is invalid: ${error.message ?? error.keyword}` : `field "${field}" ${error.message ?? 'is invalid'}`;
  }
}
