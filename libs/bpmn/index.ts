/** BPMN 2.0 XML → immutable process model, and the expression language of its conditions. Pure: no I/O. */
export * from './model';
export * from './juel';
export { parseBpmn } from './bpmn-parser';
export type { ParseProblem, ParseResult } from './parse-problem';
export { assertNever } from './assert-never';
export { CAMUNDA_ATTRIBUTES, CAMUNDA_EXTENSION_ELEMENTS, type ExtensionSupport } from './camunda-extensions';
export { parseDuration, type IsoDuration } from './iso-duration';
export { parseRetryCycle, retryInterval, type RetryCycle } from './retry-cycle';
export {
  compensationBoundaryOf,
  compensationEventSubProcessOf,
  compensationHandlerOf,
  compensationSubscriptionActivityId,
  isCompensationEventSubProcess,
  throwsCompensation,
} from './compensation';
export { cancelBoundaryFor } from './transaction-rules';
