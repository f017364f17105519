/**
 * Resolves sequence flows: both ends must be flow nodes of the scope the flow is declared in, and a
 * condition must compile. Valid flows are entered into their nodes' incoming and outgoing lists.
 */
import type { BuildContext } from './build-context';
import { ExpressionSyntaxError, parseExpression, type Expression } from './juel';
import type { SequenceFlow } from './model';
import { elementId, readElement, readString, readText } from './moddle-element';
import type { LinkRedirects } from './link-events';
import type { FlowEntry, NodeEntry, WalkedProcess } from './process-walker';

/**
 * Resolves every flow of the walked process; flows with an invalid end are reported and left out. A
 * flow into a link throw event leads to its link's catch event (`redirects`).
 */
export function resolveFlows(
  walked: WalkedProcess,
  redirects: LinkRedirects,
  context: BuildContext,
): ReadonlyMap<string, SequenceFlow> {
  const flows = new Map<string, SequenceFlow>();
  for (const flow of walked.flows) {
    const source = endpoint(flow, 'sourceRef', walked, redirects, context);
    const target = endpoint(flow, 'targetRef', walked, redirects, context);
    const condition = readCondition(flow, context);
    if (source === null || target === null || condition === undefined) continue;
    source.outgoing.push(flow.id);
    target.incoming.push(flow.id);
    flows.set(flow.id, {
      id: flow.id,
      name: readString(flow.element, 'name'),
      sourceId: source.node.id,
      targetId: target.node.id,
      condition,
      line: context.locator.positionOfId(flow.id)?.line ?? null,
    });
  }
  return flows;
}

/** The node at one end of a flow, or `null` when it is missing, unknown or in another scope. */
function endpoint(
  flow: FlowEntry,
  property: 'sourceRef' | 'targetRef',
  walked: WalkedProcess,
  redirects: LinkRedirects,
  context: BuildContext,
): NodeEntry | null {
  const referenced = readElement(flow.element, property);
  const written =
    referenced === null ? context.reader.unresolvedRef(flow.element, property) : elementId(referenced);
  // A link throw event whose link has no catch event was reported by `resolveLinks`.
  if (
    property === 'targetRef' &&
    written !== null &&
    walked.linkSources.has(written) &&
    !redirects.has(written)
  )
    return null;
  const id = property === 'targetRef' && written !== null ? (redirects.get(written) ?? written) : written;
  const end = property === 'sourceRef' ? 'source' : 'destination';
  if (id === null) {
    context.problems.error(`Sequence flow '${flow.id}' has no ${property}`, { elementId: flow.id });
    return null;
  }
  // Already reported as unsupported or unreadable: a second error about the flow would only be noise.
  if (walked.rejectedIds.has(id) || context.reader.droppedIds.has(id)) return null;
  // A flow to or from a multi-instance activity connects its body.
  const entry = walked.nodes.get(walked.bodyOf.get(id) ?? id);
  if (entry === undefined) {
    context.problems.error(`Invalid ${end} '${id}' of sequence flow '${flow.id}'`, {
      elementId: flow.id,
      relatedIds: [id],
    });
    return null;
  }
  if (entry.node.scopeId !== flow.scopeId) {
    context.problems.error(
      `Invalid ${end} '${id}' of sequence flow '${flow.id}': the flow is in scope '${flow.scopeId}' ` +
        `but '${id}' is in scope '${entry.node.scopeId}'; sequence flows cannot cross sub-process boundaries`,
      { elementId: flow.id, relatedIds: [id] },
    );
    return null;
  }
  return entry;
}

/** The compiled condition, `null` for none, `undefined` after reporting an unusable one. */
function readCondition(flow: FlowEntry, context: BuildContext): Expression | null | undefined {
  const expression = readElement(flow.element, 'conditionExpression');
  if (expression === null) return null;
  const language = readText(expression, 'language');
  if (language !== null) {
    context.problems.error(
      `Script conditions are not supported: sequence flow '${flow.id}' has a condition in language '${language}'`,
      { elementId: flow.id },
    );
    return undefined;
  }
  const source = readText(expression, 'body');
  if (source === null) {
    context.problems.warning(
      `Sequence flow '${flow.id}' has an empty condition; it is treated as unconditional`,
      {
        elementId: flow.id,
      },
    );
    return null;
  }
  try {
    return parseExpression(source);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    context.problems.error(`Invalid condition of sequence flow '${flow.id}': ${error.message}`, {
      elementId: flow.id,
    });
    return undefined;
  }
}
