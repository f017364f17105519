/** BPMN of processes with conditional events, shared by the engine's unit specs. */
import { bpmnDefinitions } from './engine-harness';

/** `<conditionalEventDefinition>` with `condition` and optional Camunda filters. */
export const conditional = (condition: string, filters = ''): string =>
  `<conditionalEventDefinition ${filters}><condition xsi:type="tFormalExpression">${condition}</condition></conditionalEventDefinition>`;

const withXsi = (body: string) =>
  bpmnDefinitions(body).replace(
    '<definitions ',
    '<definitions xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ',
  );

/** A user task `work` with a conditional boundary event `cond` (→ `afterCond`); `work` → `next`. */
export const conditionalBoundary = (condition: string, interrupting = true, filters = ''): string =>
  withXsi(`
  <process id="boundary" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <userTask id="work" />
    <sequenceFlow id="f2" sourceRef="work" targetRef="next" />
    <userTask id="next" />
    <sequenceFlow id="f3" sourceRef="next" targetRef="end" />
    <endEvent id="end" />
    <boundaryEvent id="cond" attachedToRef="work" cancelActivity="${String(interrupting)}">${conditional(condition, filters)}</boundaryEvent>
    <sequenceFlow id="b1" sourceRef="cond" targetRef="afterCond" />
    <userTask id="afterCond" />
    <sequenceFlow id="b2" sourceRef="afterCond" targetRef="condEnd" />
    <endEvent id="condEnd" />
  </process>`);

/** Start → intermediate conditional catch `wait` → user task `after`. */
export const conditionalIntermediate = (condition: string, filters = ''): string =>
  withXsi(`
  <process id="intermediate" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <intermediateCatchEvent id="wait">${conditional(condition, filters)}</intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="after" />
    <userTask id="after" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <endEvent id="end" />
  </process>`);

/**
 * A user task `work` in the process and an embedded sub-process `sub` (task `inner`), each scope
 * with a conditional event sub-process (`espStart` → `espTask` at process level, `subEspStart` →
 * `subEspTask` inside `sub`).
 */
export const conditionalEventSubProcesses = (
  condition: string,
  interrupting = true,
  subCondition = '${false}',
): string =>
  withXsi(`
  <process id="esps" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="f2" sourceRef="fork" targetRef="work" />
    <sequenceFlow id="f3" sourceRef="fork" targetRef="sub" />
    <userTask id="work" />
    <sequenceFlow id="f4" sourceRef="work" targetRef="workEnd" />
    <endEvent id="workEnd" />
    <subProcess id="sub">
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="inner" />
      <userTask id="inner" />
      <sequenceFlow id="s2" sourceRef="inner" targetRef="subEnd" />
      <endEvent id="subEnd" />
      <subProcess id="subEsp" triggeredByEvent="true">
        <startEvent id="subEspStart" isInterrupting="${String(interrupting)}">${conditional(subCondition)}</startEvent>
        <sequenceFlow id="se1" sourceRef="subEspStart" targetRef="subEspTask" />
        <userTask id="subEspTask" />
        <sequenceFlow id="se2" sourceRef="subEspTask" targetRef="subEspEnd" />
        <endEvent id="subEspEnd" />
      </subProcess>
    </subProcess>
    <sequenceFlow id="f5" sourceRef="sub" targetRef="subAfterEnd" />
    <endEvent id="subAfterEnd" />
    <subProcess id="esp" triggeredByEvent="true">
      <startEvent id="espStart" isInterrupting="${String(interrupting)}">${conditional(condition)}</startEvent>
      <sequenceFlow id="e1" sourceRef="espStart" targetRef="espTask" />
      <userTask id="espTask" />
      <sequenceFlow id="e2" sourceRef="espTask" targetRef="espEnd" />
      <endEvent id="espEnd" />
    </subProcess>
  </process>`);

/** An event-based gateway before a conditional event `cond` (→ `afterCond`) and a message `msg` (→ `afterMsg`). */
export const conditionalAfterGateway = (condition: string): string =>
  withXsi(`
  <message id="m" name="Go" />
  <process id="gateway" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="gw" />
    <eventBasedGateway id="gw" />
    <sequenceFlow id="g1" sourceRef="gw" targetRef="cond" />
    <sequenceFlow id="g2" sourceRef="gw" targetRef="msg" />
    <intermediateCatchEvent id="cond">${conditional(condition)}</intermediateCatchEvent>
    <intermediateCatchEvent id="msg"><messageEventDefinition messageRef="m" /></intermediateCatchEvent>
    <sequenceFlow id="c1" sourceRef="cond" targetRef="afterCond" />
    <sequenceFlow id="m1" sourceRef="msg" targetRef="afterMsg" />
    <userTask id="afterCond" />
    <userTask id="afterMsg" />
  </process>`);
