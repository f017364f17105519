export { RestException, InvalidRequestException, ServiceUnavailableException } from './rest-exception';
export { toErrorResponse, engineErrorStatus, type ErrorBody, type ErrorResponse } from './error-envelope';
export { errorHandler, notFoundHandler } from './error-handler';
export {
  declareErrorOverrides,
  errorOverrides,
  errorAs,
  type ErrorOverride,
  type RouteParams,
} from './error-overrides';
export { requestContext, REQUEST_ID_HEADER } from './request-context';
export { basicAuth, authenticatedUserId, type BasicAuthUser } from './basic-auth';
export { parseRequest } from './validation';
export { formatDate, parseDate, MAX_DURATION_MS } from './dates';
export {
  MAX_LIST_LENGTH,
  MAX_JSON_DEPTH,
  boundedText,
  boundedBytes,
  boundedList,
  boundedInteger,
  boundedNesting,
  longerThan,
} from './bounds';
export { safeDescription, whileAvailable, RETRY_AFTER_SECONDS, type DependencyProbe } from './unavailable';
export { QueryParams, invalidParameter } from './query-params';
export { readPage, type Page } from './paging';
export { readSorting, sortingBodySchema, type Sorting, type SortOrder } from './sorting';
export { selfLink, type Link } from './links';
export { parseByteSize } from './byte-size';
