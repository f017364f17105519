import multer from 'multer';
import {
  AuthorizationException,
  NullValueException,
  OptimisticLockingException,
  ProcessEngineException,
} from '@libs/engine';
import { RestException, ServiceUnavailableException } from './rest-exception';
import { RETRY_AFTER_SECONDS, unavailability, type DependencyProbe } from './unavailable';

const RETRY_AFTER = { 'Retry-After': String(RETRY_AFTER_SECONDS) };

/** Camunda's REST error body: `{type, message, code}` plus type-specific fields. */
export interface ErrorBody {
  readonly type: string;
  readonly message: string;
  readonly code: number | null;
  readonly [extension: string]: unknown;
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
  /** Response headers the status calls for (`Retry-After` of a 503). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Errors raised by Express' body parser (http-errors) carry these fields. */
interface HttpParserError {
  readonly type: string;
  readonly status: number;
  readonly message: string;
  readonly limit?: number;
}

/**
 * The one place that decides the status and body of an error (Camunda's `ExceptionHandlerHelper`):
 * an engine error the caller caused is 400 (see {@link engineErrorStatus}), authorization 403, REST
 * errors their own status, a malformed URL, body or upload 4xx. An unreachable database (by the
 * error's code), or any other failure while `dependencyDown` reports a dependency down, is 503 with
 * `Retry-After`. Unexpected errors become a 500 whose body names no internals and carries no stack.
 */
export function toErrorResponse(error: unknown, dependencyDown?: DependencyProbe): ErrorResponse {
  if (error instanceof RestException) {
    const body = { type: error.type, message: error.message, code: error.code };
    const headers = error instanceof ServiceUnavailableException ? RETRY_AFTER : undefined;
    return { status: error.status, body, headers };
  }
  if (error instanceof ProcessEngineException) {
    const body = { ...error.extensions, type: error.type, message: error.message, code: error.code };
    return { status: engineErrorStatus(error), body };
  }
  if (error instanceof multer.MulterError) return uploadErrorResponse(error);
  // Checked before the codes below: a body the client stopped sending carries `ECONNABORTED` too.
  const parserError = asParserError(error);
  if (parserError) return parserErrorResponse(parserError);
  // Express' router could not decode a percent-escape of the path (`%E0%A4%A`).
  if (error instanceof URIError) return invalid(400, `Malformed URL: ${error.message}`);
  const down = dependencyDown?.();
  if (down !== undefined) return toErrorResponse(new ServiceUnavailableException(`${down} is unavailable`));
  const unavailable = unavailability(error);
  if (unavailable !== undefined) {
    return toErrorResponse(new ServiceUnavailableException(`The database is unavailable: ${unavailable}`));
  }
  return UNEXPECTED;
}

function invalid(status: number, message: string): ErrorResponse {
  return { status, body: { type: 'InvalidRequestException', message, code: null } };
}

const UNEXPECTED: ErrorResponse = {
  status: 500,
  body: {
    type: 'ProcessEngineException',
    message: 'An unexpected error occurred; see the server log',
    code: null,
  },
};

/**
 * The status of an engine error. The engine raises these for what a request asks of it: bad input
 * (Camunda: 400), but also operations the instance's state or model refuses, which Camunda reports
 * as a plain ProcessEngineException with 500 (ENGINE-13036 unknown instance, ENGINE-13037 other
 * definition, ENGINE-23003, a start-after with two outgoing flows, …). They are the caller's to fix,
 * so this service answers 400 with Camunda's body. Only a lost race the engine could not settle by
 * retrying and a missing internal value are server errors.
 */
export function engineErrorStatus(error: ProcessEngineException): number {
  if (error instanceof AuthorizationException) return 403;
  if (error instanceof OptimisticLockingException || error instanceof NullValueException) return 500;
  return 400;
}

function asParserError(error: unknown): HttpParserError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as Partial<HttpParserError>;
  return typeof candidate.type === 'string' && typeof candidate.status === 'number'
    ? (candidate as HttpParserError)
    : undefined;
}

function parserErrorResponse(error: HttpParserError): ErrorResponse {
  switch (error.type) {
    case 'entity.parse.failed':
      return invalid(400, `Malformed JSON in request body: ${error.message}`);
    case 'entity.too.large':
      return invalid(413, `Request body exceeds the limit of ${error.limit ?? 'the configured'} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return invalid(415, error.message);
    default:
      return error.status >= 400 && error.status < 500 ? invalid(error.status, error.message) : UNEXPECTED;
  }
}

/** A limit the multipart upload parser (multer) enforced, by its `code` (`LIMIT_FILE_SIZE`, …). */
function uploadErrorResponse(error: multer.MulterError): ErrorResponse {
  const status = error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE' ? 413 : 400;
  return invalid(status, `Invalid multipart upload: ${error.message}`);
}
