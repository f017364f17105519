/**
 * Reads `multiInstanceLoopCharacteristics` the way Camunda's parser does: the activity `X` is wrapped
 * in a body `X#multiInstanceBody` that takes X's place in its scope. The asynchronous continuations,
 * `camunda:exclusive` and retry cycle written on X's element belong to the body; those written on the
 * loop characteristics belong to X (one job per inner instance).
 */
import type { BuildContext } from './build-context';
import { describeElement } from './event-definition-reader';
import { ExpressionSyntaxError, parseExpression, type Expression } from './juel';
import type { FlowNode, MultiInstanceBody, MultiInstanceCollection } from './model';
import { readBoolean, readElement, readText, type ModdleElement } from './moddle-element';
import { readRetryCycle } from './retry-cycle-reader';

/** Camunda's suffix of a multi-instance body's activity id. */
export const MULTI_INSTANCE_BODY_SUFFIX = '#multiInstanceBody';

/** The body around an inner activity and the inner activity as it runs inside it. */
export interface MultiInstanceParts {
  readonly body: MultiInstanceBody;
  readonly inner: FlowNode;
}

/**
 * The body and inner node for `inner` (mapped from `element`, with its own incoming/outgoing lists,
 * which the body takes over), or `null` when the element has no multi-instance loop characteristics.
 * Problems (a standard loop, no count, …) are reported; the parts are still returned then.
 */
export function readMultiInstance(
  element: ModdleElement,
  inner: FlowNode,
  context: BuildContext,
): MultiInstanceParts | null {
  const loop = readElement(element, 'loopCharacteristics');
  if (loop === null || loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return null;
  const bodyId = `${inner.id}${MULTI_INSTANCE_BODY_SUFFIX}`;
  const report = (message: string) => context.problems.error(message, { elementId: inner.id });
  if (readElement(loop, 'loopDataInputRef') !== null || readElement(loop, 'inputDataItem') !== null) {
    report(
      `loopDataInputRef and inputDataItem are not supported on ${describeElement({ element, id: inner.id })}: use camunda:collection and camunda:elementVariable`,
    );
  }
  if ((inner.ioMapping?.outputs.length ?? 0) > 0) {
    report('camunda:outputParameter not allowed for multi-instance constructs');
  }
  const loopCardinality = readExpression(loop, 'loopCardinality', report);
  const collection = readCollection(loop, report);
  const elementVariable = readText(loop, 'elementVariable');
  if (loopCardinality === null && collection === null) {
    report('Either loopCardinality or loopDataInputRef/activiti:collection must be set');
  }
  if (collection === null && elementVariable !== null) {
    report(
      'LoopDataInputRef/activiti:collection must be set when using inputDataItem or activiti:elementVariable',
    );
  }
  const retryCycle = readRetryCycle(loop, inner.id, context);
  const { retryCycle: bodyRetryCycle, ...innerWithoutCycle } = inner;
  const body: MultiInstanceBody = {
    ...(bodyRetryCycle === undefined ? {} : { retryCycle: bodyRetryCycle }),
    id: bodyId,
    name: inner.name,
    scopeId: inner.scopeId,
    incoming: inner.incoming,
    outgoing: inner.outgoing,
    asyncBefore: inner.asyncBefore,
    asyncAfter: inner.asyncAfter,
    exclusive: inner.exclusive,
    jobPriority: inner.jobPriority,
    line: inner.line,
    ioMapping: null,
    isForCompensation: inner.isForCompensation,
    kind: 'multiInstanceBody',
    innerActivityId: inner.id,
    sequential: readBoolean(loop, 'isSequential') === true,
    loopCardinality,
    collection,
    elementVariable,
    completionCondition: readExpression(loop, 'completionCondition', report),
  };
  const innerInBody: FlowNode = {
    ...innerWithoutCycle,
    ...(retryCycle === null ? {} : { retryCycle }),
    scopeId: bodyId,
    incoming: [],
    outgoing: [],
    asyncBefore: readBoolean(loop, 'asyncBefore') === true || readBoolean(loop, 'async') === true,
    asyncAfter: readBoolean(loop, 'asyncAfter') === true,
    exclusive: readBoolean(loop, 'exclusive') !== false,
  };
  return { body, inner: innerInBody };
}

/** True for the id of a multi-instance body. */
export function isMultiInstanceBodyId(id: string): boolean {
  return id.endsWith(MULTI_INSTANCE_BODY_SUFFIX);
}

function readCollection(
  loop: ModdleElement,
  report: (message: string) => void,
): MultiInstanceCollection | null {
  const text = readText(loop, 'collection');
  if (text === null) return null;
  if (!text.includes('{')) return { kind: 'variable', name: text };
  const expression = compile(text, 'camunda:collection', report);
  return expression === null ? null : { kind: 'expression', expression };
}

/** The text of a formal-expression child (`loopCardinality`, `completionCondition`), compiled. */
function readExpression(
  loop: ModdleElement,
  property: 'loopCardinality' | 'completionCondition',
  report: (message: string) => void,
): Expression | null {
  const child = readElement(loop, property);
  if (child === null) return null;
  const text = readText(child, 'body');
  if (text === null) {
    if (property === 'loopCardinality') {
      report('loopCardinality must be defined for a multiInstanceLoopCharacteristics definition');
    }
    return null;
  }
  return compile(text, property, report);
}

function compile(text: string, what: string, report: (message: string) => void): Expression | null {
  try {
    return parseExpression(text);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    report(`Invalid ${what} '${text}': ${error.message}`);
    return null;
  }
}
