import {
  AuthorizationException,
  BadUserRequestException,
  MismatchingMessageCorrelationException,
  ParseException,
  ProcessEngineException,
} from '@libs/engine';
import { RestException } from './rest-exception';

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
 * bad user input is 400, authorization 403, any other engine error 500, REST errors their own status.
 * Unexpected errors become a 500 whose body names no internals and carries no stack.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof RestException) {
    return { status: error.status, body: { type: error.type, message: error.message, code: error.code } };
  }
  if (error instanceof ProcessEngineException) {
    const body = { ...error.extensions, type: error.type, message: error.message, code: error.code };
    return { status: engineStatus(error), body };
  }
  const uploadError = asUploadError(error);
  if (uploadError) return uploadErrorResponse(uploadError);
  const parserError = asParserError(error);
  if (parserError) return parserErrorResponse(parserError);
  return UNEXPECTED;
}

const UNEXPECTED: ErrorResponse = {
  status: 500,
  body: {
    type: 'ProcessEngineException',
    message: 'An unexpected error occurred; see the server log',
    code: null,
  },
};

function engineStatus(error: ProcessEngineException): number {
  if (error instanceof AuthorizationException) return 403;
  if (error instanceof BadUserRequestException || error instanceof ParseException) return 400;
  // Raised by message correlation only, which Camunda's `POST /message` answers with 400.
  if (error instanceof MismatchingMessageCorrelationException) return 400;
  if (
    error.type === 'MigrationPlanValidationException' ||
    error.type === 'MigratingProcessInstanceValidationException'
  ) {
    return 400;
  }
  return 500;
}

function asParserError(error: unknown): HttpParserError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as Partial<HttpParserError>;
  return typeof candidate.type === 'string' && typeof candidate.status === 'number'
    ? (candidate as HttpParserError)
    : undefined;
}

function parserErrorResponse(error: HttpParserError): ErrorResponse {
  const invalid = (status: number, message: string): ErrorResponse => ({
    status,
    body: { type: 'InvalidRequestException', message, code: null },
  });
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

/** Errors of the multipart upload parser (multer) carry a `code` such as `LIMIT_FILE_SIZE`. */
interface UploadError {
  readonly name: 'MulterError';
  readonly code: string;
  readonly message: string;
}

function asUploadError(error: unknown): UploadError | undefined {
  return (error as Partial<UploadError> | null)?.name === 'MulterError' ? (error as UploadError) : undefined;
}

function uploadErrorResponse(error: UploadError): ErrorResponse {
  const status = error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE' ? 413 : 400;
  return {
    status,
    body: {
      type: 'InvalidRequestException',
      message: `Invalid multipart upload: ${error.message}`,
      code: null,
    },
  };
}
