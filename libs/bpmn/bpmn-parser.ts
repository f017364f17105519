/**
 * BPMN 2.0 XML → immutable process models. Pure: reads nothing but its argument and keeps no state
 * between calls, so the same text always gives the same result.
 */
import type { BuildContext } from './build-context';
import { LineLocator } from './line-locator';
import { elementId, readBoolean, readElements, type ModdleElement } from './moddle-element';
import { readDefinitions } from './moddle-reader';
import { ProblemCollector, type ParseResult } from './parse-problem';
import { warnAboutIgnoredExtensions } from './extension-warnings';
import { buildProcess } from './process-builder';
import { reportReadFailure, reportReaderWarnings } from './reader-warnings';

/**
 * Parses one BPMN resource. Every `<process isExecutable="true">` becomes a `ProcessModel`; other
 * processes, collaborations, diagrams, lanes, artifacts and unused extension elements are ignored.
 * Never throws for bad input: returns `ok: false` with every problem found (not just the first), each
 * naming the element and its 1-based line and column where it can be located.
 */
export async function parseBpmn(xml: string): Promise<ParseResult> {
  const locator = new LineLocator(xml);
  const problems = new ProblemCollector(locator);
  const read = await readDefinitions(xml);
  const reader = reportReaderWarnings(read.warnings, problems, locator);
  if (!read.ok) {
    reportReadFailure(read.failure, problems);
    return problems.result([]);
  }
  const context: BuildContext = { problems, locator, reader };
  const models = executableProcesses(read.definitions, context).flatMap(({ process, id }) => {
    warnAboutIgnoredExtensions(process, context);
    return buildProcess(process, id, context) ?? [];
  });
  return problems.result(models);
}

interface ExecutableProcess {
  readonly process: ModdleElement;
  readonly id: string;
}

function executableProcesses(definitions: ModdleElement, context: BuildContext): ExecutableProcess[] {
  const processes = readElements(definitions, 'rootElements').filter((root) => root.$type === 'bpmn:Process');
  const executable: ExecutableProcess[] = [];
  let idless = 0;
  for (const process of processes) {
    const id = elementId(process);
    const isExecutable = readBoolean(process, 'isExecutable');
    if (id === null) {
      const position = context.locator.positionOfIdless(elementId(definitions) ?? '', 'process', idless++);
      context.problems.error('Element <process> has no id', { elementId: null, position });
    } else if (isExecutable === true) {
      executable.push({ process, id });
    } else if (isExecutable === null) {
      context.problems.warning(
        `Process '${id}' has no isExecutable attribute; it is not deployed (set isExecutable="true" to run it)`,
        { elementId: id },
      );
    }
  }
  if (executable.length === 0 && idless === 0) {
    context.problems.error(
      'No executable process: the resource contains no <process> with isExecutable="true"',
      {
        elementId: null,
        position: null,
      },
    );
  }
  return executable;
}
