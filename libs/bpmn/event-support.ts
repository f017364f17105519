/**
 * The event constructs the model can describe but the engine cannot run yet, refused at deployment
 * in one place: each line goes when its behaviour lands (issue #13).
 */
import type { BuildContext } from './build-context';
import { isWaitTrigger, type FlowNode } from './model';
import type { WalkedProcess } from './process-walker';

/** Why `node` cannot run yet, or `null` when it can. */
function unimplemented(node: FlowNode): string | null {
  switch (node.kind) {
    case 'startEvent':
      return node.trigger === null || isWaitTrigger(node.trigger)
        ? null
        : `a start event with a ${node.trigger.type} trigger`;
    case 'endEvent':
      return ['none', 'terminate', 'message', 'signal'].includes(node.result.type)
        ? null
        : `an end event throwing ${node.result.type}`;
    case 'intermediateThrowEvent':
      return ['none', 'message', 'signal'].includes(node.result.type)
        ? null
        : `an intermediate throw event throwing ${node.result.type}`;
    case 'intermediateCatchEvent':
      return node.trigger.type === 'conditional' ? 'a conditional intermediate catch event' : null;
    case 'boundaryEvent':
      return ['message', 'signal', 'timer'].includes(node.trigger.type)
        ? null
        : `a boundary event catching ${node.trigger.type}`;
    case 'subProcess':
      return node.triggeredByEvent ? 'an event sub-process' : null;
    default:
      return node.isForCompensation ? 'a compensation handler' : null;
  }
}

/** Reports every element of the walked process whose behaviour the engine does not have yet. */
export function refuseUnimplementedEvents(walked: WalkedProcess, context: BuildContext): void {
  for (const { node } of walked.nodes.values()) {
    const what = unimplemented(node);
    if (what === null) continue;
    context.problems.error(`<${node.kind}> '${node.id}' is ${what}, which is not supported yet`, {
      elementId: node.id,
    });
  }
}
