/**
 * Reads event definitions: the trigger a catching event waits for (message, signal, timer) and the
 * names of the messages and signals it refers to. Problems are reported against the owning event.
 */
import type { BuildContext } from './build-context';
import type { EventTrigger, TimerDefinition } from './model';
import {
  elementId,
  elementName,
  readElement,
  readElements,
  readText,
  type ModdleElement,
} from './moddle-element';

/** The element a definition belongs to, for messages. */
export interface Owner {
  readonly element: ModdleElement;
  readonly id: string;
}

/** The trigger of an intermediate catch or boundary event, or `null` after reporting why there is none. */
export function readEventTrigger(owner: Owner, context: BuildContext): EventTrigger | null {
  const definitions = readElements(owner.element, 'eventDefinitions');
  const [definition] = definitions;
  if (definition === undefined || definitions.length > 1) {
    const count =
      definitions.length === 0 ? 'no event definition' : `${definitions.length} event definitions`;
    context.problems.error(`${describeElement(owner)} has ${count}; exactly one is supported`, {
      elementId: owner.id,
    });
    return null;
  }
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
    default:
      reportUnsupportedDefinition(definition, owner, context);
      return null;
  }
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
