/**
 * `camunda:failedJobRetryTimeCycle` is not implemented yet: a failed job is retried at once, 3 times
 * (Camunda's default without the extension). Deploying such an element works but says so.
 */
import type { BuildContext } from './build-context';
import { readElement, readElements, type ModdleElement } from './moddle-element';

const RETRY_CYCLE = 'camunda:FailedJobRetryTimeCycle';

/** Warns when `element` declares a retry time cycle, which this engine ignores. */
export function warnIgnoredRetryTimeCycle(element: ModdleElement, id: string, context: BuildContext): void {
  const extensions = readElement(element, 'extensionElements');
  if (extensions === null) return;
  if (!readElements(extensions, 'values').some((value) => value.$type === RETRY_CYCLE)) return;
  context.problems.warning(
    `Element '${id}' declares camunda:failedJobRetryTimeCycle, which is ignored: its failed jobs are retried at once, 3 times`,
    { elementId: id },
  );
}
