/**
 * Reads `camunda:inputOutput` of a flow node with Camunda's rules (`BpmnParse.parseActivityInputOutput`):
 * allowed on tasks, events other than start events, and embedded sub-processes; outputs are refused on
 * end events. Values are text (compiled as expressions), empty (null), `camunda:list` or `camunda:map`;
 * `camunda:script` values are refused, as this service runs no scripts.
 */
import type { BuildContext } from './build-context';
import { describeElement } from './event-definition-reader';
import { ExpressionSyntaxError, parseExpression } from './juel';
import type { IoMapping, IoParameter, IoValue } from './model';
import {
  elementName,
  readElement,
  readElements,
  readString,
  readText,
  type ModdleElement,
} from './moddle-element';

/** The element an `inputOutput` belongs to, for messages. */
interface Holder {
  readonly element: ModdleElement;
  readonly id: string;
}

type Direction = 'inputParameter' | 'outputParameter';

/** The mapping of `element` (whose id is `id`), `null` when it has none or after reporting why it is unusable. */
export function readIoMapping(element: ModdleElement, id: string, context: BuildContext): IoMapping | null {
  const extensions = readElement(element, 'extensionElements');
  const inputOutput = (extensions === null ? [] : readElements(extensions, 'values')).find(
    (extension) => extension.$type === 'camunda:InputOutput',
  );
  if (inputOutput === undefined) return null;
  const holder: Holder = { element, id };
  const tag = elementName(element);
  if (!supportsInputOutput(tag)) {
    context.problems.error(`camunda:inputOutput mapping unsupported for element type '${tag}'.`, {
      elementId: id,
    });
    return null;
  }
  const inputs = readParameters(inputOutput, 'inputParameter', holder, context);
  const outputs = readParameters(inputOutput, 'outputParameter', holder, context);
  if (outputs !== null && outputs.length > 0 && tag === 'endEvent') {
    context.problems.error(`camunda:outputParameter not allowed for element type '${tag}'.`, {
      elementId: id,
    });
    return null;
  }
  return inputs === null || outputs === null ? null : { inputs, outputs };
}

/** Camunda's test on the tag name; start events have no activity scope to map into. */
function supportsInputOutput(tag: string): boolean {
  if (tag === 'startEvent') return false;
  return (
    tag.includes('Task') ||
    tag.includes('Event') ||
    tag === 'subProcess' ||
    tag === 'transaction' ||
    tag === 'callActivity'
  );
}

/** The parameters in document order, `null` after reporting a problem with one of them. */
function readParameters(
  inputOutput: ModdleElement,
  direction: Direction,
  holder: Holder,
  context: BuildContext,
): IoParameter[] | null {
  const parameters: IoParameter[] = [];
  let valid = true;
  for (const parameter of readElements(inputOutput, `${direction}s`)) {
    const name = readText(parameter, 'name');
    if (name === null) {
      context.problems.error(
        `Missing attribute 'name' for camunda:${direction} of ${describeElement(holder)}`,
        { elementId: holder.id },
      );
      valid = false;
      continue;
    }
    const value = readValue(parameter, { holder, direction, name }, context);
    if (value === null) valid = false;
    else parameters.push({ name, value });
  }
  return valid ? parameters : null;
}

/** Where a value sits, for messages. */
interface ValueSite {
  readonly holder: Holder;
  readonly direction: Direction;
  readonly name: string;
}

/** The value of a parameter or entry (its definition, else its body text), `null` after reporting. */
function readValue(owner: ModdleElement, site: ValueSite, context: BuildContext): IoValue | null {
  const definition = readElement(owner, 'definition');
  if (definition !== null) return readDefinition(definition, site, context);
  return readBody(owner, site, context);
}

function readDefinition(definition: ModdleElement, site: ValueSite, context: BuildContext): IoValue | null {
  switch (definition.$type) {
    case 'camunda:Value':
      return readBody(definition, site, context);
    case 'camunda:List': {
      const items = readElements(definition, 'items').map((item) => readDefinition(item, site, context));
      return items.every((item): item is IoValue => item !== null) ? { kind: 'list', items } : null;
    }
    case 'camunda:Map':
      return readMap(definition, site, context);
    case 'camunda:Script':
      context.problems.error(
        `Script parameters are not supported: camunda:${site.direction} '${site.name}' of ${describeElement(site.holder)} has a camunda:script`,
        { elementId: site.holder.id },
      );
      return null;
    default:
      context.problems.error(
        `Unsupported value <${elementName(definition)}> in camunda:${site.direction} '${site.name}' of ${describeElement(site.holder)}`,
        { elementId: site.holder.id },
      );
      return null;
  }
}

function readMap(definition: ModdleElement, site: ValueSite, context: BuildContext): IoValue | null {
  const entries: { key: string; value: IoValue }[] = [];
  let valid = true;
  for (const entry of readElements(definition, 'entries')) {
    const key = readString(entry, 'key');
    if (key === null) {
      context.problems.error(
        `Missing attribute 'key' for 'entry' element in camunda:${site.direction} '${site.name}' of ${describeElement(site.holder)}`,
        { elementId: site.holder.id },
      );
      valid = false;
      continue;
    }
    const value = readValue(entry, site, context);
    if (value === null) valid = false;
    else entries.push({ key, value });
  }
  return valid ? { kind: 'map', entries } : null;
}

/** Trimmed body text as an expression; blank is Camunda's null value. */
function readBody(owner: ModdleElement, site: ValueSite, context: BuildContext): IoValue | null {
  const text = readText(owner, 'value');
  if (text === null) return { kind: 'null' };
  try {
    return { kind: 'expression', expression: parseExpression(text) };
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    context.problems.error(
      `Invalid expression in camunda:${site.direction} '${site.name}' of ${describeElement(site.holder)}: ${error.message}`,
      { elementId: site.holder.id },
    );
    return null;
  }
}
