/**
 * Which outgoing sequence flows a token takes when it leaves an element, with Camunda's rules and
 * error messages. Conditions are evaluated from `fromInstanceId` (nearest variables first).
 */
import type { ExclusiveGateway, FlowNode, InclusiveGateway, SequenceFlow } from '@libs/bpmn';
import type { EngineRun } from './engine-run';
import { ProcessEngineException } from '../errors';
import { evaluateConditionFrom } from './expressions';

/**
 * Leaving an activity or event (not a gateway): every unconditional flow and every flow whose
 * condition holds, in document order. No outgoing flows at all → `[]` (the token ends there).
 * @throws ProcessEngineException ENGINE-02006 when there are outgoing flows but none qualifies.
 */
export function flowsLeavingActivity(run: EngineRun, node: FlowNode, fromInstanceId: string): string[] {
  const taken = node.outgoing.filter((flowId) => holds(run, run.flow(flowId), fromInstanceId));
  if (taken.length === 0 && node.outgoing.length > 0) {
    throw new ProcessEngineException(
      `ENGINE-02006 No conditional sequence flow leaving the Flow Node '${node.id}' could be selected for continuing the process.`,
    );
  }
  return taken;
}

/**
 * An exclusive gateway: the first non-default flow (document order) without condition or whose
 * condition holds, else the default flow.
 * @throws ProcessEngineException ENGINE-02004 when nothing can be selected.
 */
export function flowLeavingExclusiveGateway(
  run: EngineRun,
  gateway: ExclusiveGateway,
  fromInstanceId: string,
): string {
  const chosen = gateway.outgoing.find(
    (flowId) => flowId !== gateway.defaultFlowId && holds(run, run.flow(flowId), fromInstanceId),
  );
  const flowId = chosen ?? gateway.defaultFlowId;
  if (flowId === null) throw stuck(gateway.id);
  return flowId;
}

/**
 * An inclusive gateway: every non-default flow without condition or whose condition holds; the
 * default flow when there is none.
 * @throws ProcessEngineException ENGINE-02004 when nothing can be selected.
 */
export function flowsLeavingInclusiveGateway(
  run: EngineRun,
  gateway: InclusiveGateway,
  fromInstanceId: string,
): string[] {
  const taken = gateway.outgoing.filter(
    (flowId) => flowId !== gateway.defaultFlowId && holds(run, run.flow(flowId), fromInstanceId),
  );
  if (taken.length > 0) return taken;
  if (gateway.defaultFlowId === null) throw stuck(gateway.id);
  return [gateway.defaultFlowId];
}

function holds(run: EngineRun, flow: SequenceFlow, fromInstanceId: string): boolean {
  return flow.condition === null || evaluateConditionFrom(run, flow.condition, fromInstanceId);
}

function stuck(elementId: string): ProcessEngineException {
  return new ProcessEngineException(
    `ENGINE-02004 No outgoing sequence flow for the element with id '${elementId}' could be selected for continuing the process.`,
  );
}
