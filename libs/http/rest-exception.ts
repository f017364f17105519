import { ProcessEngineException } from '@libs/engine';

/**
 * An error raised by the REST layer itself, carrying its HTTP status (Camunda's `RestException`).
 * `code` follows Camunda: the code of an engine cause, otherwise `null`.
 */
export class RestException extends Error {
  readonly code: number | null;

  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options?.cause instanceof ProcessEngineException ? options.cause.code : null;
  }

  get type(): string {
    return this.name;
  }
}

/** Bad request syntax or semantics detected by the REST layer (Camunda's `InvalidRequestException`). */
export class InvalidRequestException extends RestException {
  /**
   * The request part a schema refused (`request body`, `variables`, …), so that a route can tell its
   * parts apart in its error overrides; absent for other checks.
   */
  readonly part?: string;

  constructor(status: number, message: string, options?: { cause?: unknown; part?: string }) {
    super(status, message, options);
    if (options?.part !== undefined) this.part = options.part;
  }
}

/**
 * A dependency the request needs cannot serve right now: 503, answered with `Retry-After`. Camunda has
 * no such exception; the body's type is its generic `RestException`.
 */
export class ServiceUnavailableException extends RestException {
  constructor(reason: string) {
    super(503, `${reason}; retry later`);
  }

  override get type(): string {
    return 'RestException';
  }
}
