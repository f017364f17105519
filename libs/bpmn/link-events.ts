/**
 * Link events, as Camunda's `BpmnParse` reads them: a link throw event is no activity, so a sequence
 * flow into it leads to the link catch event of the same name instead, which passes through. Link
 * names are unique among a process's catch events; a throw whose link has no catch event, and a catch
 * event after an event-based gateway, are refused with Camunda's messages.
 */
import type { BuildContext } from './build-context';
import { elementId, readElement } from './moddle-element';
import type { WalkedProcess } from './process-walker';

/** Where the flows into each link throw event lead: the id of the catch event of its link, by throw id. */
export type LinkRedirects = ReadonlyMap<string, string>;

/** The link catch events of `walked` by link name, and the redirects of its link throw events. */
export function resolveLinks(walked: WalkedProcess, context: BuildContext): LinkRedirects {
  const targets = new Map<string, string>();
  for (const { node } of walked.nodes.values()) {
    if (node.kind !== 'intermediateCatchEvent' || node.trigger.type !== 'link') continue;
    const { linkName } = node.trigger;
    if (targets.has(linkName)) {
      context.problems.error(
        `Multiple Intermediate Catch Events with the same link event name ('${linkName}') are not allowed.`,
        { elementId: node.id },
      );
      continue;
    }
    if (node.name !== linkName) {
      context.problems.warning(
        `Link Event named '${node.name ?? ''}' contains link event definition with name '${linkName}' - it is recommended to use the same name for both.`,
        { elementId: node.id },
      );
    }
    targets.set(linkName, node.id);
  }
  const redirects = new Map<string, string>();
  for (const flow of walked.flows) {
    const target = readElement(flow.element, 'targetRef');
    const targetId = target === null ? null : elementId(target);
    const linkName = targetId === null ? undefined : walked.linkSources.get(targetId);
    if (targetId === null || linkName === undefined) continue;
    const catchId = targets.get(linkName);
    if (catchId === undefined) {
      context.problems.error(
        `sequence flow points to link event source with name '${linkName}' but no event target with that name exists. Most probably your link events are not configured correctly.`,
        { elementId: flow.id, relatedIds: [targetId] },
      );
      continue;
    }
    redirects.set(targetId, catchId);
  }
  refuseLinkCatchAfterEventGateway(walked, targets, context);
  return redirects;
}

function refuseLinkCatchAfterEventGateway(
  walked: WalkedProcess,
  targets: ReadonlyMap<string, string>,
  context: BuildContext,
): void {
  const catchIds = new Set(targets.values());
  for (const flow of walked.flows) {
    const source = readElement(flow.element, 'sourceRef');
    const target = readElement(flow.element, 'targetRef');
    if (source === null || target === null) continue;
    const targetId = elementId(target);
    if (targetId === null || !catchIds.has(targetId)) continue;
    if (walked.nodes.get(elementId(source) ?? '')?.node.kind !== 'eventBasedGateway') continue;
    context.problems.error('IntermediateCatchLinkEvent is not allowed after an EventBasedGateway.', {
      elementId: targetId,
    });
  }
}
