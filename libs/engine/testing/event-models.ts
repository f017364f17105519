/** BPMN of processes with event sub-processes, shared by the engine's unit specs. */
import { bpmnDefinitions } from './engine-harness';

/** A process with a user task and four event sub-processes at process level. */
export const processLevelEventSubProcesses = bpmnDefinitions(`
  <message id="m_cancel" name="Cancel" />
  <message id="m_info" name="Info" />
  <signal id="s_stop" name="Stop" />
  <process id="esp" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <userTask id="work" />
    <sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <endEvent id="end" />
    <subProcess id="cancelEsp" triggeredByEvent="true">
      <startEvent id="cancelStart"><messageEventDefinition messageRef="m_cancel" /></startEvent>
      <sequenceFlow id="c1" sourceRef="cancelStart" targetRef="cleanUp" />
      <userTask id="cleanUp" />
      <sequenceFlow id="c2" sourceRef="cleanUp" targetRef="cancelEnd" />
      <endEvent id="cancelEnd" />
    </subProcess>
    <subProcess id="infoEsp" triggeredByEvent="true">
      <startEvent id="infoStart" isInterrupting="false"><messageEventDefinition messageRef="m_info" /></startEvent>
      <sequenceFlow id="i1" sourceRef="infoStart" targetRef="readInfo" />
      <userTask id="readInfo" />
      <sequenceFlow id="i2" sourceRef="readInfo" targetRef="infoEnd" />
      <endEvent id="infoEnd" />
    </subProcess>
    <subProcess id="remindEsp" triggeredByEvent="true">
      <startEvent id="remindStart" isInterrupting="false">
        <timerEventDefinition><timeCycle>R3/PT10M</timeCycle></timerEventDefinition>
      </startEvent>
      <sequenceFlow id="r1" sourceRef="remindStart" targetRef="remindEnd" />
      <endEvent id="remindEnd" />
    </subProcess>
    <subProcess id="stopEsp" triggeredByEvent="true">
      <startEvent id="stopStart"><signalEventDefinition signalRef="s_stop" /></startEvent>
      <sequenceFlow id="s1" sourceRef="stopStart" targetRef="stopEnd" />
      <endEvent id="stopEnd" />
    </subProcess>
  </process>`);

/** Event sub-processes inside an embedded sub-process. */
export const nestedEventSubProcesses = bpmnDefinitions(`
  <message id="m_abort" name="Abort" />
  <process id="nested" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <subProcess id="sub">
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="inner" />
      <userTask id="inner" />
      <sequenceFlow id="s2" sourceRef="inner" targetRef="subEnd" />
      <endEvent id="subEnd" />
      <subProcess id="abortEsp" triggeredByEvent="true">
        <startEvent id="abortStart"><messageEventDefinition messageRef="m_abort" /></startEvent>
        <sequenceFlow id="a1" sourceRef="abortStart" targetRef="aborted" />
        <userTask id="aborted" />
        <sequenceFlow id="a2" sourceRef="aborted" targetRef="abortEnd" />
        <endEvent id="abortEnd" />
      </subProcess>
      <subProcess id="tickEsp" triggeredByEvent="true">
        <startEvent id="tickStart" isInterrupting="false">
          <timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>
        </startEvent>
        <sequenceFlow id="t1" sourceRef="tickStart" targetRef="tickEnd" />
        <endEvent id="tickEnd" />
      </subProcess>
    </subProcess>
    <sequenceFlow id="f2" sourceRef="sub" targetRef="after" />
    <userTask id="after" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <endEvent id="end" />
  </process>`);
