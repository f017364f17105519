/** Camunda's activity type for each kind of flow node (`org.camunda.bpm.engine.ActivityTypes`). */
import type { CatchTrigger, FlowNode, IntermediateCatchEvent, ThrowResult } from '@libs/bpmn';
import { assertNever } from '@libs/bpmn';
import type { ActivityType } from '../state/instance-state';

/** The activity type Camunda reports for an instance of `node`. */
export function activityTypeOf(node: FlowNode): ActivityType {
  switch (node.kind) {
    case 'startEvent':
      return node.trigger === null ? 'startEvent' : START_TYPES[node.trigger.type];
    case 'endEvent':
      return END_TYPES[node.result.type];
    case 'userTask':
      return 'userTask';
    case 'receiveTask':
      return 'receiveTask';
    case 'task':
    case 'externalTask':
      return node.elementType;
    case 'subProcess':
      return node.transaction ? 'transaction' : 'subProcess';
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
    case 'eventBasedGateway':
      return 'eventBasedGateway';
    case 'intermediateCatchEvent':
      return INTERMEDIATE_CATCH_TYPES[node.trigger.type];
    case 'intermediateThrowEvent':
      return INTERMEDIATE_THROW_TYPES[node.result.type];
    case 'boundaryEvent':
      return BOUNDARY_TYPES[node.trigger.type];
    default:
      return assertNever(node);
  }
}

const START_TYPES: Readonly<Record<CatchTrigger['type'], ActivityType>> = {
  message: 'messageStartEvent',
  signal: 'signalStartEvent',
  timer: 'startTimerEvent',
  conditional: 'conditionalStartEvent',
  error: 'errorStartEvent',
  escalation: 'escalationStartEvent',
  compensate: 'compensationStartEvent',
  cancel: 'startEvent',
};

const END_TYPES: Readonly<Record<ThrowResult['type'], ActivityType>> = {
  none: 'noneEndEvent',
  terminate: 'terminateEndEvent',
  message: 'messageEndEvent',
  signal: 'signalEndEvent',
  error: 'errorEndEvent',
  escalation: 'escalationEndEvent',
  compensate: 'compensationEndEvent',
  cancel: 'cancelEndEvent',
};

/** Camunda reports every intermediate throw event without its own type as `intermediateThrowEvent`'s kin. */
const INTERMEDIATE_THROW_TYPES: Readonly<Record<ThrowResult['type'], ActivityType>> = {
  none: 'intermediateNoneThrowEvent',
  terminate: 'intermediateThrowEvent',
  message: 'intermediateMessageThrowEvent',
  signal: 'intermediateSignalThrow',
  error: 'intermediateThrowEvent',
  escalation: 'intermediateEscalationThrowEvent',
  compensate: 'intermediateCompensationThrowEvent',
  cancel: 'intermediateThrowEvent',
};

const INTERMEDIATE_CATCH_TYPES: Readonly<Record<IntermediateCatchEvent['trigger']['type'], ActivityType>> = {
  message: 'intermediateMessageCatch',
  signal: 'intermediateSignalCatch',
  timer: 'intermediateTimer',
  conditional: 'intermediateConditional',
  link: 'intermediateLinkCatch',
};

const BOUNDARY_TYPES: Readonly<Record<CatchTrigger['type'], ActivityType>> = {
  message: 'boundaryMessage',
  signal: 'boundarySignal',
  timer: 'boundaryTimer',
  conditional: 'boundaryConditional',
  error: 'boundaryError',
  escalation: 'boundaryEscalation',
  compensate: 'compensationBoundaryCatch',
  cancel: 'cancelBoundaryCatch',
};
