export { RestException, InvalidRequestException } from './rest-exception';
export { toErrorResponse, type ErrorBody, type ErrorResponse } from './error-envelope';
export { errorHandler, notFoundHandler } from './error-handler';
export { requestContext, REQUEST_ID_HEADER } from './request-context';
export { basicAuth, authenticatedUserId, type BasicAuthUser } from './basic-auth';
export { parseRequest } from './validation';
