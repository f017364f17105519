/** Reads `<camunda:failedJobRetryTimeCycle>` of an element, refusing text that is not a retry cycle. */
import type { BuildContext } from './build-context';
import { describeElement } from './event-definition-reader';
import { readElement, readElements, readText, type ModdleElement } from './moddle-element';
import { parseRetryCycle, type RetryCycle } from './retry-cycle';

/**
 * The element's retry cycle, `null` when it declares none. Unreadable text is a deployment error;
 * an expression (`${…}`) is accepted with a warning and not evaluated (jobs retry as without one).
 */
export function readRetryCycle(element: ModdleElement, id: string, context: BuildContext): RetryCycle | null {
  const extensions = readElement(element, 'extensionElements');
  if (extensions === null) return null;
  const declared = readElements(extensions, 'values').find(
    (value) => value.$type === 'camunda:FailedJobRetryTimeCycle',
  );
  if (declared === undefined) return null;
  const text = readText(declared, 'body') ?? '';
  const holder = describeElement({ element, id });
  if (text.includes('${') || text.includes('#{')) {
    context.problems.warning(
      `camunda:failedJobRetryTimeCycle '${text}' of ${holder} is ignored: expressions are not evaluated in retry cycles; a failed job is retried at once, 3 times`,
      { elementId: id },
    );
    return null;
  }
  const cycle = parseRetryCycle(text);
  if (typeof cycle === 'string') {
    context.problems.error(`Invalid camunda:failedJobRetryTimeCycle of ${holder}: ${cycle}`, {
      elementId: id,
    });
    return null;
  }
  return cycle;
}
