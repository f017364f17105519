/** Camunda's activity type for each kind of flow node (`org.camunda.bpm.engine.ActivityTypes`). */
import type { EventTrigger, FlowNode } from '@libs/bpmn';
import { assertNever } from '@libs/bpmn';
import type { ActivityType } from '../state/instance-state';

/** The activity type Camunda reports for an instance of `node`. */
export function activityTypeOf(node: FlowNode): ActivityType {
  switch (node.kind) {
    case 'startEvent':
      return 'startEvent';
    case 'endEvent':
      return node.terminate ? 'terminateEndEvent' : 'noneEndEvent';
    case 'userTask':
      return 'userTask';
    case 'receiveTask':
      return 'receiveTask';
    case 'task':
    case 'externalTask':
      return node.elementType;
    case 'subProcess':
      return 'subProcess';
    case 'multiInstanceBody':
      return 'multiInstanceBody';
    case 'callActivity':
      return 'callActivity';
    case 'exclusiveGateway':
      return 'exclusiveGateway';
    case 'inclusiveGateway':
      return 'inclusiveGateway';
    case 'parallelGateway':
      return 'parallelGateway';
    case 'intermediateCatchEvent':
      return intermediateTypeOf(node.trigger);
    case 'boundaryEvent':
      return boundaryTypeOf(node.trigger);
    default:
      return assertNever(node);
  }
}

function intermediateTypeOf(trigger: EventTrigger): ActivityType {
  switch (trigger.type) {
    case 'message':
      return 'intermediateMessageCatch';
    case 'signal':
      return 'intermediateSignalCatch';
    case 'timer':
      return 'intermediateTimer';
    default:
      return assertNever(trigger);
  }
}

function boundaryTypeOf(trigger: EventTrigger): ActivityType {
  switch (trigger.type) {
    case 'message':
      return 'boundaryMessage';
    case 'signal':
      return 'boundarySignal';
    case 'timer':
      return 'boundaryTimer';
    default:
      return assertNever(trigger);
  }
}
