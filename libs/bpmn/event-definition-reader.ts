/**
 * Reads event definitions: the trigger a catching event waits for, what a throwing event throws, and
 * the names and codes of the messages, signals, errors and escalations they refer to. Problems are
 * reported against the owning event.
 */
import type { BuildContext } from './build-context';
import { ExpressionSyntaxError, parseExpression } from './juel';
import type { CatchTrigger, ConditionalTrigger, ThrowResult, TimerDefinition } from './model';
import {
  elementId,
  elementName,
  readBoolean,
  readElement,
  readElements,
  readList,
  readText,
  type ModdleElement,
} from './moddle-element';

/** The element a definition belongs to, for messages. */
export interface Owner {
  readonly element: ModdleElement;
  readonly id: string;
}

/**
 * The single event definition of `owner`: `undefined` when it has none, `null` after reporting that
 * it has several.
 */
function singleDefinition(owner: Owner, context: BuildContext): ModdleElement | null | undefined {
  const definitions = readElements(owner.element, 'eventDefinitions');
  if (definitions.length <= 1) return definitions[0];
  context.problems.error(
    `${describeElement(owner)} has ${definitions.length} event definitions; exactly one is supported`,
    { elementId: owner.id },
  );
  return null;
}

/**
 * The trigger of a catching event (start, intermediate catch or boundary event): `undefined` for an
 * event without definition (a none start event), `null` after reporting why there is none. Which
 * kinds of trigger an element may have is checked by the caller.
 */
export function readCatchTrigger(owner: Owner, context: BuildContext): CatchTrigger | null | undefined {
  const definition = singleDefinition(owner, context);
  if (definition === null || definition === undefined) return definition;
  switch (definition.$type) {
    case 'bpmn:MessageEventDefinition': {
      const messageName = readReferencedName(definition, 'messageRef', owner, context);
      return messageName === null ? null : { type: 'message', messageName };
    }
    case 'bpmn:SignalEventDefinition': {
      const signalName = readReferencedName(definition, 'signalRef', owner, context);
      return signalName === null ? null : { type: 'signal', signalName };
    }
    case 'bpmn:TimerEventDefinition': {
      const timer = readTimer(definition, owner, context);
      return timer === null ? null : { type: 'timer', timer };
    }
    case 'bpmn:ConditionalEventDefinition':
      return readConditional(definition, owner, context);
    case 'bpmn:ErrorEventDefinition': {
      const error = readCoded(definition, 'errorRef', owner, context);
      if (error === null) return null;
      return {
        type: 'error',
        errorCode: error.code,
        errorCodeVariable: readText(definition, 'errorCodeVariable'),
        errorMessageVariable: readText(definition, 'errorMessageVariable'),
      };
    }
    case 'bpmn:EscalationEventDefinition': {
      const escalation = readCoded(definition, 'escalationRef', owner, context);
      if (escalation === null) return null;
      return {
        type: 'escalation',
        escalationCode: escalation.code,
        escalationCodeVariable: readText(definition, 'escalationCodeVariable'),
      };
    }
    case 'bpmn:CompensateEventDefinition':
      return { type: 'compensate' };
    case 'bpmn:CancelEventDefinition':
      return { type: 'cancel' };
    default:
      reportUnsupportedDefinition(definition, owner, context);
      return null;
  }
}

/**
 * The link name of an intermediate event whose only definition is a `<linkEventDefinition>`:
 * `undefined` when it has another (or none), `null` after reporting a link without a name.
 */
export function readLinkName(owner: Owner, context: BuildContext): string | null | undefined {
  const definitions = readElements(owner.element, 'eventDefinitions');
  const [definition] = definitions;
  if (definitions.length !== 1 || definition?.$type !== 'bpmn:LinkEventDefinition') return undefined;
  const name = readText(definition, 'name');
  if (name !== null) return name;
  context.problems.error(`${describeElement(owner)} has a link event definition without a name`, {
    elementId: owner.id,
  });
  return null;
}

/**
 * What a throwing event (end or intermediate throw event) throws, or `null` after reporting why it
 * cannot. Which results an element may have is checked by the caller.
 */
export function readThrowResult(owner: Owner, context: BuildContext): ThrowResult | null {
  const definition = singleDefinition(owner, context);
  if (definition === null) return null;
  if (definition === undefined) return { type: 'none' };
  switch (definition.$type) {
    case 'bpmn:TerminateEventDefinition':
      return { type: 'terminate' };
    case 'bpmn:MessageEventDefinition':
      return readMessageThrow(definition, owner, context);
    case 'bpmn:SignalEventDefinition': {
      const signalName = readReferencedName(definition, 'signalRef', owner, context);
      return signalName === null
        ? null
        : { type: 'signal', signalName, async: readBoolean(definition, 'async') === true };
    }
    case 'bpmn:ErrorEventDefinition': {
      const error = readCoded(definition, 'errorRef', owner, context);
      return error === null ? null : { type: 'error', errorCode: error.code, errorMessage: error.message };
    }
    case 'bpmn:EscalationEventDefinition': {
      const escalation = readCoded(definition, 'escalationRef', owner, context);
      return escalation === null ? null : { type: 'escalation', escalationCode: escalation.code };
    }
    case 'bpmn:CompensateEventDefinition': {
      const activity = readElement(definition, 'activityRef');
      const activityRef =
        activity === null ? context.reader.unresolvedRef(definition, 'activityRef') : elementId(activity);
      return {
        type: 'compensate',
        activityRef,
        waitForCompletion: readBoolean(definition, 'waitForCompletion') !== false,
      };
    }
    case 'bpmn:CancelEventDefinition':
      return { type: 'cancel' };
    default:
      reportUnsupportedDefinition(definition, owner, context);
      return null;
  }
}

/**
 * A message throw or end event: without implementation it passes through; with `camunda:type="external"`
 * (and its `camunda:topic`, `camunda:taskPriority`) it is service-task-like and waits for an external
 * task, as Camunda's `isServiceTaskLike` reads it. Java implementations are warned about elsewhere.
 */
function readMessageThrow(
  definition: ModdleElement,
  owner: Owner,
  context: BuildContext,
): ThrowResult | null {
  const type = readText(definition, 'type');
  if (type === null) return { type: 'message', externalTask: null };
  if (type.toLowerCase() !== 'external') {
    context.problems.error(
      `${describeElement(owner)} has camunda:type="${type}": only camunda:type="external" is supported`,
      { elementId: owner.id },
    );
    return null;
  }
  const topic = readText(definition, 'topic');
  if (topic === null) {
    context.problems.error(`External task ${describeElement(owner)} has no camunda:topic`, {
      elementId: owner.id,
    });
    return null;
  }
  return { type: 'message', externalTask: { topic, priority: readText(definition, 'taskPriority') } };
}

/** Reports an event definition the engine cannot run (error, escalation, compensation, conditional, …). */
export function reportUnsupportedDefinition(
  definition: ModdleElement,
  owner: Owner,
  context: BuildContext,
): void {
  context.problems.error(
    `Unsupported event definition <${elementName(definition)}> on ${describeElement(owner)}`,
    { elementId: owner.id },
  );
}

const CODED = {
  errorRef: { type: 'bpmn:Error', label: 'error', codeProperty: 'errorCode' },
  escalationRef: { type: 'bpmn:Escalation', label: 'escalation', codeProperty: 'escalationCode' },
} as const;

/**
 * The code (and, for errors, `camunda:errorMessage`) of the error or escalation an event definition
 * refers to: no reference means "any" (codes null); an unresolvable reference is an error (`null`).
 */
function readCoded(
  definition: ModdleElement,
  property: keyof typeof CODED,
  owner: Owner,
  context: BuildContext,
): { readonly code: string | null; readonly message: string | null } | null {
  const { type, label, codeProperty } = CODED[property];
  const target = readElement(definition, property);
  const targetId = target === null ? context.reader.unresolvedRef(definition, property) : elementId(target);
  if (target === null && targetId === null) return { code: null, message: null };
  if (target === null || target.$type !== type) {
    if (targetId !== null && context.reader.droppedIds.has(targetId)) return null;
    context.problems.error(
      `Invalid ${property} '${targetId ?? ''}' of ${describeElement(owner)}: no ${label} with this id`,
      { elementId: owner.id },
    );
    return null;
  }
  return { code: readText(target, codeProperty), message: readText(target, 'errorMessage') };
}

/** A conditional event's compiled condition and variable filters, or `null` after reporting a problem. */
function readConditional(
  definition: ModdleElement,
  owner: Owner,
  context: BuildContext,
): ConditionalTrigger | null {
  const expression = readElement(definition, 'condition');
  const language = expression === null ? null : readText(expression, 'language');
  const source = expression === null ? null : readText(expression, 'body');
  const problem =
    language !== null
      ? `has a script condition in language '${language}'; only expressions are supported`
      : source === null
        ? 'has no condition'
        : null;
  if (problem !== null || source === null) {
    context.problems.error(`Conditional event ${describeElement(owner)} ${problem ?? ''}`, {
      elementId: owner.id,
    });
    return null;
  }
  try {
    return {
      type: 'conditional',
      condition: parseExpression(source),
      variableName: readText(definition, 'variableName'),
      variableEvents: readList(definition, 'variableEvents'),
    };
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    context.problems.error(`Invalid condition of ${describeElement(owner)}: ${error.message}`, {
      elementId: owner.id,
    });
    return null;
  }
}

const REFERENCED = {
  messageRef: { type: 'bpmn:Message', label: 'message' },
  signalRef: { type: 'bpmn:Signal', label: 'signal' },
} as const;

/**
 * The `name` of the message or signal that `holder` (a receive task or an event definition) refers to.
 * A missing, unresolvable or nameless reference is an error.
 */
export function readReferencedName(
  holder: ModdleElement,
  property: keyof typeof REFERENCED,
  owner: Owner,
  context: BuildContext,
): string | null {
  const { type, label } = REFERENCED[property];
  const target = readElement(holder, property);
  const targetId = target === null ? context.reader.unresolvedRef(holder, property) : elementId(target);
  if (target === null || target.$type !== type) {
    if (targetId !== null && context.reader.droppedIds.has(targetId)) return null;
    const message =
      targetId === null
        ? `${describeElement(owner)} has no ${property}: a ${label} is required`
        : `Invalid ${property} '${targetId}' of ${describeElement(owner)}: no ${label} with this id`;
    context.problems.error(message, { elementId: owner.id });
    return null;
  }
  const name = readText(target, 'name');
  if (name === null) {
    context.problems.error(
      `The ${label} '${targetId ?? ''}' referenced by ${describeElement(owner)} has no name`,
      {
        elementId: owner.id,
        relatedIds: targetId === null ? [] : [targetId],
      },
    );
  }
  return name;
}

const TIMER_KINDS = [
  ['timeDate', 'date'],
  ['timeDuration', 'duration'],
  ['timeCycle', 'cycle'],
] as const;

function readTimer(definition: ModdleElement, owner: Owner, context: BuildContext): TimerDefinition | null {
  const timers = TIMER_KINDS.flatMap(([property, kind]): TimerDefinition[] => {
    const expression = readElement(definition, property);
    const value = expression === null ? null : readText(expression, 'body');
    return value === null ? [] : [{ kind, value }];
  });
  const [timer] = timers;
  if (timer !== undefined && timers.length === 1) return timer;
  const problem =
    timer === undefined
      ? 'has no timeDate, timeDuration or timeCycle'
      : 'has more than one of timeDate, timeDuration and timeCycle';
  context.problems.error(`Timer event ${describeElement(owner)} ${problem}`, { elementId: owner.id });
  return null;
}

/** `<boundaryEvent> 'b1'`: how messages name an element. */
export function describeElement(owner: Owner): string {
  return `<${elementName(owner.element)}> '${owner.id}'`;
}
