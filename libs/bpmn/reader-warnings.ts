/**
 * Decides what the lax reader's warnings mean. Errors: XML that cannot be read, duplicate or illegal
 * ids, and unknown or misplaced BPMN elements (the reader drops them, which would silently change the
 * process). Unresolved references the model depends on are handed to the builder, which reports them
 * with the element that holds them. Everything else (unknown attributes, foreign elements outside
 * `extensionElements`, stray text, unresolved diagram or lane references) stays a warning.
 */
import type { ModdleWarning } from 'bpmn-moddle';
import type { LineLocator } from './line-locator';
import { elementId, readBoolean, type ModdleElement } from './moddle-element';
import { unreadableContent, type UnreadableContent } from './moddle-reader';
import type { ProblemCollector } from './parse-problem';

/** What the reader could not resolve or dropped, for the model builder to report in context. */
export interface ReaderIssues {
  /** The id a model reference (`targetRef`, `messageRef`, …) pointed to when it could not be resolved. */
  unresolvedRef(element: ModdleElement, property: string): string | null;
  /** Ids of elements the reader dropped after reporting them: references to them are not reported again. */
  readonly droppedIds: ReadonlySet<string>;
}

/** References the process model is built from, by the element type holding them. */
const MODEL_REFERENCES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['bpmn:SequenceFlow', new Set(['sourceRef', 'targetRef'])],
  ['bpmn:ExclusiveGateway', new Set(['default'])],
  ['bpmn:InclusiveGateway', new Set(['default'])],
  ['bpmn:BoundaryEvent', new Set(['attachedToRef'])],
  ['bpmn:ReceiveTask', new Set(['messageRef'])],
  ['bpmn:MessageEventDefinition', new Set(['messageRef'])],
  ['bpmn:SignalEventDefinition', new Set(['signalRef'])],
]);

/** Reports the reader's warnings as problems and returns what the builder needs to know about them. */
export function reportReaderWarnings(
  warnings: readonly ModdleWarning[],
  problems: ProblemCollector,
  locator: LineLocator,
): ReaderIssues {
  const unresolved = new Map<ModdleElement, Map<string, string>>();
  const droppedIds = new Set<string>();
  for (const warning of warnings) {
    const content = unreadableContent(warning.message);
    if (content !== null) {
      reportUnreadable(content, problems, locator, droppedIds);
    } else if (isModelReference(warning)) {
      const byProperty = unresolved.get(warning.element) ?? new Map<string, string>();
      byProperty.set(localName(warning.property), warning.value);
      unresolved.set(warning.element, byProperty);
    } else {
      problems.warning(warning.message, { elementId: warning.element ? elementId(warning.element) : null });
    }
  }
  return {
    unresolvedRef: (element, property) => unresolved.get(element)?.get(property) ?? null,
    droppedIds,
  };
}

/** Reports why the document could not be read at all. */
export function reportReadFailure(failure: string, problems: ProblemCollector): void {
  const content = unreadableContent(failure);
  if (content === null) {
    problems.error(`Not a BPMN 2.0 definitions document: ${failure}`, { elementId: null, position: null });
    return;
  }
  const at = content.tag === null ? '' : ` at ${content.tag}`;
  problems.error(`Malformed XML: ${content.reason}${at}`, { elementId: null, position: content.position });
}

function reportUnreadable(
  content: UnreadableContent,
  problems: ProblemCollector,
  locator: LineLocator,
  droppedIds: Set<string>,
): void {
  const idProblem = /^(duplicate|illegal) ID <(.*)>$/.exec(content.reason);
  const ownId = idProblem?.[2] ?? locator.idAt(content.position);
  const message = `Could not read ${content.tag ?? 'text'}: ${content.reason}`;
  // Content without an id of its own is reported against the element it sits in.
  const site = { elementId: ownId ?? locator.enclosingIdAt(content.position), position: content.position };
  if (idProblem === null && !content.reason.includes('<bpmn:')) {
    problems.warning(message, site);
    return;
  }
  problems.error(message, site);
  // A duplicate is dropped but its id still resolves to the first element carrying it.
  if (ownId !== null && idProblem?.[1] !== 'duplicate') droppedIds.add(ownId);
}

type ReferenceWarning = ModdleWarning & { element: ModdleElement; property: string; value: string };

function isModelReference(warning: ModdleWarning): warning is ReferenceWarning {
  return (
    // eslint-disable-next-line no-restricted-syntax -- bpmn-moddle's warnings carry no kind but their text
    warning.message.startsWith('unresolved reference') &&
    warning.element !== undefined &&
    typeof warning.property === 'string' &&
    typeof warning.value === 'string' &&
    MODEL_REFERENCES.get(warning.element.$type)?.has(localName(warning.property)) === true &&
    inExecutableProcess(warning.element)
  );
}

function inExecutableProcess(element: ModdleElement): boolean {
  for (let current: ModdleElement | undefined = element; current; current = current.$parent) {
    if (current.$type === 'bpmn:Process') return readBoolean(current, 'isExecutable') === true;
  }
  return false;
}

function localName(property: string): string {
  return property.slice(property.indexOf(':') + 1);
}
